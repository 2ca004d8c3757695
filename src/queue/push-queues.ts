/** The push queues and how their jobs are added. */
import type { ConnectionOptions } from 'bullmq';
import { PUSH_TOPICS, QUEUES, type PushBatchJob, type PushFanoutJob } from './jobs.ts';
import { openQueue, type TypedQueue } from './typed-queue.ts';

export type PushFanoutQueue = TypedQueue<typeof QUEUES.pushFanout>;
export type PushBatchQueue = TypedQueue<typeof QUEUES.pushBatch>;

const KEEP = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
} as const;

export function createPushQueues(
  connection: ConnectionOptions,
  prefix: string,
): { fanout: PushFanoutQueue; batch: PushBatchQueue } {
  return {
    fanout: openQueue(QUEUES.pushFanout, connection, prefix),
    batch: openQueue(QUEUES.pushBatch, connection, prefix),
  };
}

/** One fan-out per update, whatever happens to the job that published it. */
export async function enqueueFanout(queue: PushFanoutQueue, job: PushFanoutJob): Promise<void> {
  await queue.add('fanout', job, {
    ...KEEP,
    jobId: `${job.storyId}.${job.updateId}`,
    attempts: 10,
    backoff: { type: 'exponential', delay: 500 },
  });
}

export async function enqueueBatches(
  queue: PushBatchQueue,
  batches: { jobId: string; data: PushBatchJob; delayMs?: number }[],
): Promise<void> {
  await queue.addBulk(
    batches.map(({ jobId, data, delayMs }) => ({
      name: 'batch',
      data,
      opts: {
        ...KEEP,
        jobId,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1_000 },
        ...(delayMs !== undefined && { delay: delayMs }),
      },
    })),
  );
}

export function topicsFor(job: PushFanoutJob): string[] {
  return job.breaking ? [PUSH_TOPICS.story(job.storyId), PUSH_TOPICS.breaking] : [PUSH_TOPICS.story(job.storyId)];
}
