/**
 * Queue names and job payloads in one typed map: the API adds these jobs, the workers consume them.
 */
import type { StoryStatus } from '../domain/story.ts';

export const QUEUES = {
  /** Every change to a story's log: update create/edit/delete and story patches. */
  storyOps: 'story-ops',
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
  fields: {
    title?: string | null;
    body?: string;
    pinned?: boolean;
    keyEvent?: boolean;
  };
  notify?: boolean;
}

export interface StoryPatchJob {
  kind: 'story.patch';
  storyId: string;
  opId: string;
  author: string;
  acceptedAt: string;
  fields: { title?: string; summary?: string; status?: StoryStatus };
}

export type StoryOpJob = UpdateOpJob | StoryPatchJob;

export interface StoryOpJobResult {
  outcome: 'ok' | 'dup' | 'noop';
  seq: number;
}

export interface JobPayloads {
  [QUEUES.storyOps]: { data: StoryOpJob; result: StoryOpJobResult };
}

/** BullMQ job ids may not contain ':'; ours are `<storyId>.<opId>`, unique per operation. */
export function storyOpJobId(storyId: string, opId: string): string {
  return `${storyId}.${opId}`;
}
