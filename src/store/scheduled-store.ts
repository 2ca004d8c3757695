/**
 * Scheduled updates in Redis, under the story's hash tag: one hash of entries and an index by
 * publish time, changed only by Lua scripts, so a cancel and the worker's claim never both win.
 */
import type { RedisClient } from '../redis/connections.ts';
import type { ScheduledUpdate } from '../domain/scheduled-update.ts';
import { appError, type ErrorCode } from '../errors.ts';
import type { Keys } from './keys.ts';
import { SCRIPTS } from './lua-script.ts';

/** Audit entries kept per story are trimmed like the log; this bounds them as well. */
const MAX_AUDIT = 100_000;

export type ScheduleOutcome = { kind: 'ok' | 'dup'; entry: ScheduledUpdate } | { kind: 'published' };

export interface ScheduledChange {
  updateId: string;
  kind: 'edit' | 'cancel';
  at: string;
  actor: string;
  fields: { title?: string | null; body?: string; pinned?: boolean; keyEvent?: boolean };
  publishAt?: string;
}

export type ClaimOutcome =
  { kind: 'due'; entry: ScheduledUpdate } | { kind: 'gone' | 'stale' } | { kind: 'failed'; code: string };

type Reply = [string, string, string?];

function entryOf(json: string | undefined): ScheduledUpdate {
  return JSON.parse(json ?? '{}') as ScheduledUpdate;
}

export type ScheduledStore = ReturnType<typeof createScheduledStore>;

export function createScheduledStore(redis: RedisClient, keys: Keys) {
  return {
    async schedule(entry: ScheduledUpdate): Promise<ScheduleOutcome> {
      const k = keys.story(entry.storyId);
      const [outcome, json] = await SCRIPTS.scheduleUpdate.run<Reply>(
        redis,
        [k.story, k.updates, k.scheduled, k.scheduledIndex, k.audit],
        [JSON.stringify(entry), Date.parse(entry.publishAt), MAX_AUDIT],
      );
      if (outcome === 'err') throw appError(json as ErrorCode);
      if (outcome === 'published') return { kind: 'published' };
      return { kind: outcome as 'ok' | 'dup', entry: entryOf(json) };
    },

    /** Edits, reschedules or cancels one; answers the entry after the change and the time before it. */
    async change(storyId: string, change: ScheduledChange): Promise<{ entry: ScheduledUpdate; previous: string }> {
      const k = keys.story(storyId);
      const publishAtMs = change.publishAt === undefined ? undefined : Date.parse(change.publishAt);
      const [outcome, json, previous] = await SCRIPTS.changeScheduled.run<Reply>(
        redis,
        [k.scheduled, k.scheduledIndex, k.audit],
        [JSON.stringify({ ...change, publishAtMs }), MAX_AUDIT],
      );
      if (outcome === 'err') throw appError(json as ErrorCode);
      return { entry: entryOf(json), previous: previous ?? '' };
    },

    /** claim: take it to publish; done: remove it once published; fail: mark it failed with `code`. */
    async claim(
      storyId: string,
      updateId: string,
      publishAt: string,
      step: 'claim' | 'done' | 'fail',
      code = '',
    ): Promise<ClaimOutcome> {
      const k = keys.story(storyId);
      const [outcome, value] = await SCRIPTS.claimScheduled.run<Reply>(
        redis,
        [k.story, k.scheduled, k.scheduledIndex, k.audit],
        [step, updateId, publishAt, new Date().toISOString(), MAX_AUDIT, code],
      );
      if (outcome === 'due') return { kind: 'due', entry: entryOf(value) };
      if (outcome === 'failed') return { kind: 'failed', code: value };
      return { kind: outcome === 'stale' ? 'stale' : 'gone' };
    },

    async isScheduled(storyId: string, updateId: string): Promise<boolean> {
      return (await redis.hexists(keys.story(storyId).scheduled, updateId)) === 1;
    },

    /** A story's scheduled updates, the soonest first. */
    async list(storyId: string): Promise<ScheduledUpdate[]> {
      const k = keys.story(storyId);
      const ids = await redis.zrange(k.scheduledIndex, '0', '-1');
      if (ids.length === 0) return [];
      const values = await redis.hmget(k.scheduled, ...ids);
      return values.filter((json): json is string => json !== null).map((json) => entryOf(json));
    },
  };
}
