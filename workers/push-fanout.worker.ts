/**
 * Fan-out of one alerting update: builds the alert once, then pages through each topic's
 * subscribers (never all in memory) and queues batch jobs. Batch job ids are derived from the
 * page cursor, so a fan-out retried after a crash queues no batch twice.
 */
import type { Logger } from 'pino';
import type { AlertIndex } from '../src/push/alert-index.ts';
import { alertPayload, encodeAlert } from '../src/push/alert-payload.ts';
import type { SubscriptionStore } from '../src/push/subscription-store.ts';
import type { QUEUES } from '../src/queue/jobs.ts';
import { enqueueBatches, topicsFor, type PushBatchQueue } from '../src/queue/push-queues.ts';
import type { JobProcessor } from '../src/queue/typed-queue.ts';
import type { StoryStore } from '../src/store/story-store.ts';

export interface FanoutDeps {
  store: StoryStore;
  subscriptions: SubscriptionStore;
  batchQueue: PushBatchQueue;
  batchSize: number;
  publicUrl: string;
  /** Remembers that the update was alerted, for the dashboard's counters. */
  alerts: AlertIndex;
  logger: Logger;
}

/** The push Topic header allows 32 URL-safe base64 characters. */
export function pushTopicHeader(storyId: string): string {
  return `s${storyId}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32);
}

export function createFanoutProcessor(deps: FanoutDeps): JobProcessor<typeof QUEUES.pushFanout> {
  return async function fanOutAlert(job) {
    const { storyId, updateId, breaking } = job.data;
    const [story, update] = await Promise.all([
      deps.store.getStoryById(storyId),
      deps.store.getUpdate(storyId, updateId),
    ]);
    if (!story || !update || update.deleted) {
      deps.logger.info({ storyId, updateId }, 'alert skipped: the update is gone');
      return { batches: 0 };
    }
    await deps.alerts.record(storyId, updateId, breaking);
    const payload = encodeAlert(alertPayload({ story, update, publicUrl: deps.publicUrl, breaking }));
    let batches = 0;
    for (const topic of topicsFor(job.data)) {
      let cursor: string | null = null;
      do {
        const page = await deps.subscriptions.page(topic, cursor, deps.batchSize);
        if (page.ids.length > 0) {
          await enqueueBatches(deps.batchQueue, [
            {
              jobId: `${storyId}.${updateId}.${topic.replace(/[^A-Za-z0-9_-]/g, '-')}.${cursor ?? 'start'}`,
              data: {
                storyId,
                updateId,
                subscriptionIds: page.ids,
                attempt: 1,
                payload,
                urgency: breaking ? 'high' : 'normal',
                topic: pushTopicHeader(storyId),
              },
            },
          ]);
          batches++;
        }
        cursor = page.next;
      } while (cursor !== null);
    }
    deps.logger.info({ storyId, updateId, batches }, 'alert fanned out');
    return { batches };
  };
}
