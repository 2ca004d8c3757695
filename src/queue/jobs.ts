/**
 * Queue names and job payloads in one typed map: the API adds these jobs, the workers consume them.
 */
import type { StoryStatus } from '../domain/story.ts';

export const QUEUES = {
  /** Every change to a story's log: update create/edit/delete and story patches. */
  storyOps: 'story-ops',
  /** One job per alerting update: pages through the topics' subscribers, queues batches. */
  pushFanout: 'push-fanout',
  /** Up to PUSH_BATCH_SIZE subscriptions to send one alert to; retries are new, delayed batches. */
  pushBatch: 'push-batch',
  /** One delayed job per scheduled update: at its time, queue its create op (scheduled-jobs.ts). */
  scheduledPublish: 'scheduled-publish',
} as const;

export interface UpdateOpJob {
  kind: 'update.create' | 'update.edit' | 'update.delete';
  storyId: string;
  updateId: string;
  /** Operation id: makes the op idempotent in the store, whatever happens to the job. */
  opId: string;
  author: string;
  /** When the API accepted it; the update's createdAt/updatedAt. */
  acceptedAt: string;
  /** The byline's editor names (create: always; edit: when changed); the worker adds their display names. */
  authors?: string[];
  fields: {
    title?: string | null;
    body?: string;
    pinned?: boolean;
    keyEvent?: boolean;
  };
  notify?: boolean;
  /** Also alert the "breaking" topic, with Urgency: high. */
  breaking?: boolean;
}

export interface StoryPatchJob {
  kind: 'story.patch';
  storyId: string;
  opId: string;
  author: string;
  acceptedAt: string;
  fields: { title?: string; summary?: string; keyPoints?: string; status?: StoryStatus };
}

export type StoryOpJob = UpdateOpJob | StoryPatchJob;

export interface StoryOpJobResult {
  outcome: 'ok' | 'dup' | 'noop';
  seq: number;
}

export interface PushFanoutJob {
  storyId: string;
  updateId: string;
  breaking: boolean;
}

export interface PushBatchJob {
  storyId: string;
  updateId: string;
  subscriptionIds: string[];
  /** 1 for the first try; a retry batch carries the attempt it is. */
  attempt: number;
  /** The encoded alert JSON, made once by the fan-out. */
  payload: string;
  urgency: 'normal' | 'high';
  /** Push `Topic` header: one per story, so an offline phone keeps only the latest alert. */
  topic: string;
}

/** Only ids and the time: the worker reads the scheduled update as it is when the time comes. */
export interface ScheduledPublishJob {
  storyId: string;
  updateId: string;
  /** The entry's publishAt this job was added for; a rescheduled entry makes the job stale. */
  publishAt: string;
}

/**
 * The one map from queue name to what its jobs carry and what its processor returns. Queues are
 * opened and workers started through it (typed-queue.ts), so a payload sent to the wrong queue,
 * or a processor registered for the wrong one, fails the typecheck.
 */
export interface QueueMap {
  [QUEUES.storyOps]: { data: StoryOpJob; result: StoryOpJobResult };
  [QUEUES.pushFanout]: { data: PushFanoutJob; result: { batches: number } };
  [QUEUES.pushBatch]: { data: PushBatchJob; result: { sent: number; retrying: number } };
  [QUEUES.scheduledPublish]: { data: ScheduledPublishJob; result: { outcome: string } };
}

export type QueueName = keyof QueueMap;
export type JobData<N extends QueueName> = QueueMap[N]['data'];
export type JobResult<N extends QueueName> = QueueMap[N]['result'];

export const PUSH_TOPICS = {
  story: (storyId: string) => `story:${storyId}`,
  breaking: 'breaking',
} as const;

/** BullMQ job ids may not contain ':'; ours are `<storyId>.<opId>`, unique per operation. */
export function storyOpJobId(storyId: string, opId: string): string {
  return `${storyId}.${opId}`;
}
