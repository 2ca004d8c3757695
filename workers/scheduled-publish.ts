/**
 * The scheduled-publish processor: when a scheduled update's time comes, claim it (from then on
 * it can no longer be cancelled), apply the normal create op with the entry as it is now (the
 * story-ops processor's own code, called here rather than through its queue: one hop less at the
 * due time), and remove the entry. The create's op id is the one an immediate post of the same id
 * would have, so a retried or duplicated fire publishes once.
 */
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { ScheduledUpdate } from '../src/domain/scheduled-update.ts';
import type { QUEUES, UpdateOpJob } from '../src/queue/jobs.ts';
import type { JobProcessor } from '../src/queue/typed-queue.ts';
import type { ScheduledStore } from '../src/store/scheduled-store.ts';

export interface ScheduledPublishDeps {
  scheduled: ScheduledStore;
  /** Applies and publishes a story op, as the story-ops processor does (throws as it does). */
  publishOp: (op: UpdateOpJob) => Promise<unknown>;
  logger: Logger;
}

/** The create op of a scheduled update; its createdAt is the time it was scheduled for. */
export function createOpOf(entry: ScheduledUpdate): UpdateOpJob {
  return {
    kind: 'update.create',
    storyId: entry.storyId,
    updateId: entry.id,
    opId: `create-${entry.id}`,
    author: entry.author,
    acceptedAt: entry.publishAt,
    // Entries scheduled before bylines existed name only the editor who scheduled them.
    authors: entry.authors ?? [entry.author],
    fields: { title: entry.title, body: entry.body, pinned: entry.pinned, keyEvent: entry.keyEvent },
    notify: entry.notify || entry.breaking,
    breaking: entry.breaking,
  };
}

export function createScheduledPublishProcessor(
  deps: ScheduledPublishDeps,
): JobProcessor<typeof QUEUES.scheduledPublish> {
  const { scheduled, publishOp, logger } = deps;
  return async function publishScheduled(job) {
    const { storyId, updateId, publishAt } = job.data;
    const claim = await scheduled.claim(storyId, updateId, publishAt, 'claim');
    if (claim.kind !== 'due') {
      const level = claim.kind === 'failed' ? 'warn' : 'debug';
      logger[level]({ storyId, updateId, outcome: claim.kind }, 'scheduled update not published');
      return { outcome: claim.kind };
    }
    try {
      await publishOp(createOpOf(claim.entry));
    } catch (error) {
      // A create no retry can fix (the story was deleted meanwhile) leaves the entry for editors to see.
      if (!(error instanceof UnrecoverableError)) throw error;
      const code = /^([A-Z_]+):/.exec(error.message)?.[1] ?? 'INTERNAL';
      await scheduled.claim(storyId, updateId, publishAt, 'fail', code);
      logger.warn({ storyId, updateId, code }, 'scheduled update failed to publish');
      return { outcome: 'failed' };
    }
    await scheduled.claim(storyId, updateId, publishAt, 'done');
    logger.debug({ storyId, updateId, lateMs: Date.now() - Date.parse(publishAt) }, 'scheduled update published');
    return { outcome: 'published' };
  };
}
