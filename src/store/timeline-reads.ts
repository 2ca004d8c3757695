/**
 * Reads of a story's updates and log: one update, the pinned and key ones, a page of the
 * timeline (one Lua script, so the page and its lastSeq agree), and the events after a seq.
 */
import type { RedisClient } from '../redis/connections.ts';
import type { StoryEvent } from '../domain/events.ts';
import { publicUpdate, type StoredUpdate, type Update } from '../domain/update.ts';
import { appError } from '../errors.ts';
import type { Keys } from './keys.ts';
import { SCRIPTS } from './lua-script.ts';
import type { Page } from './story-reads.ts';

export interface EventsRead {
  events: StoryEvent[];
  lastSeq: number;
  epoch: string;
  /** Seq of the oldest event still in the log; 0 when the log is empty. */
  firstSeq: number;
}

export function createTimelineReads(redis: RedisClient, keys: Keys) {
  return {
    async getUpdate(storyId: string, updateId: string): Promise<StoredUpdate | null> {
      const json = await redis.hget(keys.story(storyId).updates, updateId);
      return json ? (JSON.parse(json) as StoredUpdate) : null;
    },

    async pinnedIds(storyId: string): Promise<string[]> {
      return redis.smembers(keys.story(storyId).pinned);
    },

    /** The pinned updates and the newest key events, for the top of the story page. */
    async highlights(storyId: string, maxKeyEvents = 50): Promise<{ pinned: Update[]; keyEvents: Update[] }> {
      const k = keys.story(storyId);
      const [pinnedIds, keyEventIds] = await Promise.all([
        redis.smembers(k.pinned),
        redis.zrevrange(k.keyEvents, 0, maxKeyEvents - 1),
      ]);
      const ids = [...new Set([...pinnedIds, ...keyEventIds])];
      const jsons = ids.length > 0 ? await redis.hmget(k.updates, ...ids) : [];
      const byId = new Map(
        jsons.flatMap((json) => {
          if (!json) return [];
          const stored = JSON.parse(json) as StoredUpdate;
          return stored.deleted ? [] : [[stored.id, publicUpdate(stored)] as const];
        }),
      );
      const pick = (list: string[]) => list.flatMap((id) => byId.get(id) ?? []);
      const newestFirst = (a: Update, b: Update) => b.createdAt.localeCompare(a.createdAt);
      return { pinned: pick(pinnedIds).sort(newestFirst), keyEvents: pick(keyEventIds) };
    },

    /** Current updates, newest first, with the lastSeq they reflect; null if the story is gone. */
    async listUpdates(
      storyId: string,
      limit: number,
      before?: string,
    ): Promise<(Page<Update> & { lastSeq: number; epoch: string }) | null> {
      const k = keys.story(storyId);
      const reply = await SCRIPTS.readTimeline.run<[number, string, string[], string[]] | null>(
        redis,
        [k.story, k.updates, k.timeline],
        [before ?? '+inf', limit + 1],
      );
      if (!reply) return null;
      const [lastSeq, epoch, jsons, scores] = reply;
      const items = jsons.slice(0, limit).map((json) => publicUpdate(JSON.parse(json) as StoredUpdate));
      return { items, next: jsons.length > limit ? (scores[limit - 1] ?? null) : null, lastSeq, epoch };
    },

    /** Events with seq > after, in seq order, read atomically with the story's lastSeq and epoch. */
    async readEvents(storyId: string, after: number, limit: number): Promise<EventsRead | null> {
      const k = keys.story(storyId);
      const replies = await redis
        .multi()
        .xrange(k.log, `${after + 1}-0`, '+', 'COUNT', limit)
        .hmget(k.story, 'lastSeq', 'epoch')
        .xrange(k.log, '-', '+', 'COUNT', 1)
        .exec();
      if (!replies) throw appError('UNAVAILABLE');
      const [[, entries], [, meta], [, first]] = replies as [
        [unknown, [string, string[]][]],
        [unknown, (string | null)[]],
        [unknown, [string, string[]][]],
      ];
      if (!meta[1]) return null;
      const events = entries.map(([, fields]) => JSON.parse(fields[1] as string) as StoryEvent);
      const firstId = first[0]?.[0];
      return {
        events,
        lastSeq: Number(meta[0] ?? 0),
        epoch: meta[1],
        firstSeq: firstId ? Number(firstId.split('-')[0]) : 0,
      };
    },
  };
}
