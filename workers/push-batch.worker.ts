/**
 * Sends one alert to a batch of subscriptions. Each subscription is claimed before its message
 * goes out (at most one alert per update and device); 404/410 prunes the subscription; 413 is
 * retried once with a shorter payload; 429, 5xx and timeouts go into a delayed retry batch with
 * exponential backoff and jitter, honouring Retry-After, until PUSH_MAX_ATTEMPTS.
 */
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { shortenAlert } from '../src/push/alert-payload.ts';
import type { DeliveryStore } from '../src/push/delivery-store.ts';
import type { PushHeaders, PushOutcome, PushSender } from '../src/push/push-sender.ts';
import type { StoredSubscription, SubscriptionStore } from '../src/push/subscription-store.ts';
import type { PushBatchJob, QUEUES } from '../src/queue/jobs.ts';
import { enqueueBatches, type PushBatchQueue } from '../src/queue/push-queues.ts';
import type { JobProcessor } from '../src/queue/typed-queue.ts';

export interface BatchDeps {
  sender: PushSender;
  subscriptions: SubscriptionStore;
  delivery: DeliveryStore;
  /**
   * REDIS_WAIT_REPLICAS: a claim is on the replicas before its message goes out, or a failover
   * could forget it and a retried batch send the alert again. Throws (the batch is retried) if not.
   */
  confirmClaims?: (storyId: string, updateId: string) => Promise<void>;
  batchQueue: PushBatchQueue;
  ttlSeconds: number;
  maxAttempts: number;
  retryBaseMs: number;
  logger: Logger;
  /** Called with each message's outcome (metrics). */
  onOutcome?: (outcome: PushOutcome) => void;
}

const MAX_RETRY_DELAY_MS = 15 * 60_000;

/** Exponential backoff with full jitter, but never sooner than the push service asked. */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  retryAfterMs: number | undefined,
  random = Math.random,
): number {
  const backoff = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (attempt - 1));
  const jittered = backoff / 2 + random() * (backoff / 2);
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(jittered, retryAfterMs ?? 0));
}

/** null for no retry; else the delay the push service asked for, or 'retry' for the usual backoff. */
type Retry = number | 'retry' | null;

/** Records one message's outcome and says whether (and when) it is to be retried. */
function createSettler(deps: BatchDeps) {
  const { subscriptions, delivery } = deps;
  return async function settle(job: PushBatchJob, sub: StoredSubscription, outcome: PushOutcome): Promise<Retry> {
    deps.onOutcome?.(outcome);
    const { storyId, updateId } = job;
    switch (outcome.kind) {
      case 'sent':
        await delivery.settle(storyId, updateId, sub.id, 'sent');
        return null;
      case 'gone':
        await subscriptions.removeById(sub.id);
        await delivery.settle(storyId, updateId, sub.id, 'pruned');
        return null;
      case 'retry':
        if (job.attempt < deps.maxAttempts) {
          await delivery.deferRetry(storyId, updateId, sub.id);
          return outcome.retryAfterMs ?? 'retry';
        }
        break;
      default:
        break;
    }
    deps.logger.info(
      { endpointOrigin: new URL(sub.endpoint).origin, status: outcome.status, kind: outcome.kind },
      'alert failed',
    );
    await delivery.settle(storyId, updateId, sub.id, 'failed');
    return null;
  };
}

/** The subscriptions to try again go into one delayed batch of the next attempt. */
async function queueRetryBatch(
  deps: BatchDeps,
  job: Job<PushBatchJob>,
  retries: string[],
  retryAfterMs: number,
): Promise<void> {
  const data = job.data;
  const attempt = data.attempt + 1;
  await enqueueBatches(deps.batchQueue, [
    {
      jobId: `${job.id}.r${attempt}`,
      data: { ...data, subscriptionIds: retries, attempt },
      delayMs: retryDelayMs(data.attempt, deps.retryBaseMs, retryAfterMs || undefined),
    },
  ]);
}

export function createBatchProcessor(deps: BatchDeps): JobProcessor<typeof QUEUES.pushBatch> {
  const { sender, subscriptions, delivery } = deps;
  const settle = createSettler(deps);

  async function sendOne(
    sub: StoredSubscription,
    job: PushBatchJob,
    headers: PushHeaders,
  ): Promise<{ outcome: PushOutcome; retry: Retry }> {
    const target = { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } };
    let retry: Retry = null;
    const outcome = await sender.send(target, job.payload, headers, {
      claim: async () => {
        const claimed = await delivery.claim(job.storyId, job.updateId, sub.id, job.attempt > 1);
        if (claimed) await deps.confirmClaims?.(job.storyId, job.updateId);
        return claimed;
      },
      shorten: shortenAlert,
      settle: async (result) => {
        retry = await settle(job, sub, result);
      },
    });
    return { outcome, retry };
  }

  return async function sendAlertBatch(job) {
    const data = job.data;
    const headers: PushHeaders = { ttl: deps.ttlSeconds, urgency: data.urgency, topic: data.topic };
    const subs = await subscriptions.getMany(data.subscriptionIds);
    const retries: string[] = [];
    let retryAfterMs = 0;
    let sent = 0;
    await Promise.all(
      subs.map(async (sub) => {
        const { outcome, retry } = await sendOne(sub, data, headers);
        if (outcome.kind === 'sent') sent++;
        if (retry === null) return;
        retries.push(sub.id);
        if (typeof retry === 'number') retryAfterMs = Math.max(retryAfterMs, retry);
      }),
    );
    if (retries.length > 0) await queueRetryBatch(deps, job, retries, retryAfterMs);
    return { sent, retrying: retries.length };
  };
}
