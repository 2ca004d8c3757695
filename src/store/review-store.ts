/**
 * Contributors' submissions awaiting review, kept beside the story's keys (same hash tag) but
 * outside its log: a submission is in no public read until approved. Every step is one Lua
 * script (reviewSubmission-5.lua), so the state, the queue index and the audit entry agree.
 */
import type { RedisClient } from '../redis/connections.ts';
import type { ApprovedFields, Submission, SubmissionState } from '../domain/submission.ts';
import { appError, type ErrorCode } from '../errors.ts';
import type { Keys } from './keys.ts';
import { SCRIPTS } from './lua-script.ts';

export interface NewSubmission {
  storyId: string;
  id: string;
  title: string | null;
  body: string;
  html: string;
  actor: string;
  at: string;
}

export interface SubmissionStep {
  outcome: 'ok' | 'dup';
  /** Null after a withdraw. */
  submission: Submission | null;
}

type ScriptReply = [string, string];

export type ReviewStore = ReturnType<typeof createReviewStore>;

export function createReviewStore(redis: RedisClient, keys: Keys, limits: { auditMaxEntries: number }) {
  async function step(storyId: string, action: Record<string, unknown>): Promise<SubmissionStep> {
    const k = keys.story(storyId);
    const at = typeof action.at === 'string' ? action.at : new Date().toISOString();
    const [outcome, json] = await SCRIPTS.reviewSubmission.run<ScriptReply>(
      redis,
      [k.submissions, k.reviewPending, k.reviewRejected, k.audit, k.updates],
      [JSON.stringify({ ...action, at, ms: Date.parse(at) }), limits.auditMaxEntries],
    );
    if (outcome === 'err') throw appError(json as ErrorCode, errorMessage(json));
    return {
      outcome: outcome as SubmissionStep['outcome'],
      submission: json ? (JSON.parse(json) as Submission) : null,
    };
  }

  async function list(storyId: string, state: Exclude<SubmissionState, 'approved'>): Promise<Submission[]> {
    const k = keys.story(storyId);
    const ids = await redis.zrange(state === 'pending' ? k.reviewPending : k.reviewRejected, '0', '-1');
    if (ids.length === 0) return [];
    const rows = await redis.hmget(k.submissions, ...ids);
    return rows.filter((row): row is string => row !== null).map((row) => JSON.parse(row) as Submission);
  }

  return {
    list,

    async get(storyId: string, id: string): Promise<Submission | null> {
      const json = await redis.hget(keys.story(storyId).submissions, id);
      return json ? (JSON.parse(json) as Submission) : null;
    },

    submit(input: NewSubmission): Promise<SubmissionStep> {
      const submission: Submission = {
        id: input.id,
        storyId: input.storyId,
        state: 'pending',
        title: input.title,
        body: input.body,
        html: input.html,
        submittedBy: input.actor,
        submittedAt: input.at,
        updatedAt: input.at,
      };
      return step(input.storyId, { action: 'submit', id: input.id, actor: input.actor, at: input.at, submission });
    },

    edit(storyId: string, id: string, actor: string, fields: { title?: string | null; body?: string; html?: string }) {
      return step(storyId, { action: 'edit', id, actor, fields });
    },

    withdraw: (storyId: string, id: string, actor: string) => step(storyId, { action: 'withdraw', id, actor }),

    reject: (storyId: string, id: string, actor: string, note: string) =>
      step(storyId, { action: 'reject', id, actor, note }),

    approve: (storyId: string, id: string, actor: string, approved: ApprovedFields) =>
      step(storyId, { action: 'approve', id, actor, approved }),
  };
}

function errorMessage(code: string): string | undefined {
  if (code === 'FORBIDDEN')
    return 'A contributor may only change their own submissions awaiting review, not published updates or others’ work';
  if (code === 'SUBMISSION_NOT_PENDING')
    return 'This submission is not awaiting review: it was approved, or rejected and not yet resubmitted';
  return undefined;
}
