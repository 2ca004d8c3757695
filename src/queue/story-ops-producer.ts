/**
 * Adds story operations to the queue. `enqueue` resolves only once BullMQ has written the job
 * to Redis, which is what lets the API answer 202.
 */
import type { ConnectionOptions } from 'bullmq';
import { QUEUES, storyOpJobId, type StoryOpJob } from './jobs.ts';
import { openQueue, type TypedQueue } from './typed-queue.ts';

export const STORY_OP_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 200 },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
} as const;

export type StoryOpsQueue = TypedQueue<typeof QUEUES.storyOps>;

export function createStoryOpsQueue(connection: ConnectionOptions, prefix: string): StoryOpsQueue {
  return openQueue(QUEUES.storyOps, connection, prefix);
}

export type StoryOpsProducer = ReturnType<typeof createStoryOpsProducer>;

export function createStoryOpsProducer(queue: StoryOpsQueue) {
  return {
    async enqueue(job: StoryOpJob): Promise<string> {
      const jobId = storyOpJobId(job.storyId, job.opId);
      await queue.add(job.kind, job, { ...STORY_OP_JOB_OPTIONS, jobId });
      return jobId;
    },

    /**
     * True when a create for this update was accepted and has not failed: it is queued, running,
     * or finished a moment ago (so a caller that looked in the store just before is not misled).
     */
    async isCreateAccepted(storyId: string, updateId: string): Promise<boolean> {
      const job = await queue.getJob(storyOpJobId(storyId, `create-${updateId}`));
      if (!job) return false;
      const state = await job.getState();
      return state !== 'failed' && state !== 'unknown';
    },
  };
}
