/**
 * The durable state of stories in Redis: story hashes, current updates, and the event log.
 * Every change that produces an event goes through one Lua script, which assigns the seq.
 * The store is composed of its reads (story-reads.ts, timeline-reads.ts) and its writes
 * (story-writes.ts); callers see one object.
 */
import type { RedisClient } from '../redis/connections.ts';
import type { Keys } from './keys.ts';
import { createStoryReads } from './story-reads.ts';
import { createStoryWrites, type StoreLimits } from './story-writes.ts';
import { createTimelineReads } from './timeline-reads.ts';

export { auditEntries, type AuditEntry, type Page } from './story-reads.ts';
export type { NewStory, OpResult, StoreLimits, StoryPatchOp, UpdateFields, UpdateOp } from './story-writes.ts';
export type { EventsRead } from './timeline-reads.ts';

export type StoryStore = ReturnType<typeof createStoryStore>;

export function createStoryStore(redis: RedisClient, keys: Keys, limits: StoreLimits) {
  return {
    ...createStoryReads(redis, keys),
    ...createTimelineReads(redis, keys),
    ...createStoryWrites(redis, keys, limits),
  };
}
