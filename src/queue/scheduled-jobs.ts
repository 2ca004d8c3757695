/**
 * The delayed jobs that publish scheduled updates: one per entry and time. A reschedule adds a
 * job for the new time and removes the old one; the old one, if it fires anyway, is stale (its
 * publishAt is not the entry's) and does nothing. BullMQ workers block on the queue's marker until
 * the next delayed job is due (millisecond resolution), so a job starts moments after its time.
 */
import type { ConnectionOptions } from 'bullmq';
import { QUEUES, type ScheduledPublishJob } from './jobs.ts';
import { openQueue, type TypedQueue } from './typed-queue.ts';

export type ScheduledPublishQueue = TypedQueue<typeof QUEUES.scheduledPublish>;

const JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 200 },
  // Gone once done, so a later reschedule back to the same time can add the same job id again.
  removeOnComplete: true,
  removeOnFail: { age: 14 * 24 * 3600 },
} as const;

export function openScheduledPublishQueue(connection: ConnectionOptions, prefix: string): ScheduledPublishQueue {
  return openQueue(QUEUES.scheduledPublish, connection, prefix);
}

/** BullMQ job ids may not contain ':'; one id per update and time. */
export function scheduledJobId(job: ScheduledPublishJob): string {
  return `${job.storyId}.${job.updateId}.${Date.parse(job.publishAt)}`;
}

export type ScheduledJobs = ReturnType<typeof createScheduledJobs>;

export function createScheduledJobs(queue: ScheduledPublishQueue) {
  return {
    async add(job: ScheduledPublishJob): Promise<void> {
      const delay = Math.max(0, Date.parse(job.publishAt) - Date.now());
      await queue.add('publish', job, { ...JOB_OPTIONS, delay, jobId: scheduledJobId(job) });
    },

    /** Best effort: a job left behind finds its entry changed or gone and does nothing. */
    async remove(job: ScheduledPublishJob): Promise<void> {
      await queue.remove(scheduledJobId(job)).catch(() => 0);
    },
  };
}
