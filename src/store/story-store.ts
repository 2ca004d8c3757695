/**
 * The durable state of stories in Redis: story hashes, current updates, and the event log.
 * Every change that produces an event goes through one Lua script, which assigns the seq.
 */
import type { Redis } from 'ioredis';
import type { StoryEvent } from '../domain/events.ts';
import { slugify, type Story, type StoryStatus } from '../domain/story.ts';
import { publicUpdate, type StoredUpdate, type Update } from '../domain/update.ts';
import { appError, type ErrorCode } from '../errors.ts';
import type { Keys } from './keys.ts';
import { SCRIPTS } from './lua-script.ts';

export interface NewStory {
  id: string;
  slug?: string | undefined;
  title: string;
  summary: string;
  epoch: string;
  at: string;
  /** The editor creating it, for the audit trail. */
  author: string;
}

export interface UpdateFields {
  title?: string | null;
  body?: string;
  html?: string;
  pinned?: boolean;
  keyEvent?: boolean;
}

export interface UpdateOp {
  opId: string;
  kind: 'create' | 'edit' | 'delete';
  updateId: string;
  at: string;
  author: string;
  fields: UpdateFields;
}

export interface StoryPatchOp {
  opId: string;
  at: string;
  author: string;
  fields: { title?: string; summary?: string; status?: StoryStatus };
}

export interface OpResult {
  outcome: 'ok' | 'dup' | 'noop';
  seq: number;
  /** The event to publish; null for a noop, or for a dup whose event was trimmed from the log. */
  event: StoryEvent | null;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface EventsRead {
  events: StoryEvent[];
  lastSeq: number;
  epoch: string;
  /** Seq of the oldest event still in the log; 0 when the log is empty. */
  firstSeq: number;
}

export interface StoreLimits {
  maxPinned: number;
  logMaxEvents: number;
}

type ScriptReply = [string, number | string, string?];

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  updateId?: string;
  seq?: number;
  changes?: Record<string, unknown>;
}

/** Stream entries (`[id, [field, value, ...]]`) as audit entries. */
export function auditEntries(entries: [string, string[]][]): AuditEntry[] {
  return entries.map(([, fields]) => {
    const f: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
    return {
      at: f.at ?? '',
      actor: f.actor ?? '',
      action: f.action ?? '',
      ...(f.updateId !== undefined && { updateId: f.updateId }),
      ...(f.seq !== undefined && { seq: Number(f.seq) }),
      ...(f.changes !== undefined && { changes: JSON.parse(f.changes) as Record<string, unknown> }),
    };
  });
}

const STORY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function storyFromHash(hash: Record<string, string>): Story | null {
  if (!hash.id) return null;
  return {
    id: hash.id,
    slug: hash.slug ?? '',
    title: hash.title ?? '',
    summary: hash.summary ?? '',
    status: hash.status === 'ended' ? 'ended' : 'live',
    createdAt: hash.createdAt ?? '',
    updatedAt: hash.updatedAt ?? '',
    lastSeq: Number(hash.lastSeq ?? 0),
    epoch: hash.epoch ?? '',
  };
}

function opResult(reply: ScriptReply): OpResult {
  const [outcome, seq, json] = reply;
  if (outcome === 'err') throw appError(seq as ErrorCode);
  return {
    outcome: outcome as OpResult['outcome'],
    seq: Number(seq),
    event: json ? (JSON.parse(json) as StoryEvent) : null,
  };
}

export type StoryStore = ReturnType<typeof createStoryStore>;

/** How many slugs a new story may try; createStory-9.lua takes this many slug keys. */
const SLUG_CANDIDATES = 5;

export function createStoryStore(redis: Redis, keys: Keys, limits: StoreLimits) {
  /** The slugs a story may take, in order: the chosen one alone, or the title's and then variants with part of the id. */
  function candidateSlugs(wanted: string | undefined, title: string, storyId: string): string[] {
    if (wanted) return [wanted];
    const base = slugify(title);
    return Array.from({ length: SLUG_CANDIDATES }, (_, attempt) =>
      attempt === 0
        ? base
        : `${base}-${storyId
            .slice(0, 3 + attempt)
            .toLowerCase()
            .replace(/[^a-z0-9]/g, 'x')}`,
    );
  }

  async function getStoryById(id: string): Promise<Story | null> {
    return storyFromHash(await redis.hgetall(keys.story(id).story));
  }

  return {
    async createStory(input: NewStory): Promise<Story> {
      const candidates = candidateSlugs(input.slug, input.title, input.id);
      const padded = Array.from({ length: SLUG_CANDIDATES }, (_, i) => candidates[Math.min(i, candidates.length - 1)]!);
      const fields = {
        id: input.id,
        title: input.title,
        summary: input.summary,
        status: 'live' as const,
        createdAt: input.at,
        updatedAt: input.at,
        epoch: input.epoch,
      };
      const k = keys.story(input.id);
      const [outcome, slug] = await SCRIPTS.createStory.run<[number, string?]>(
        redis,
        [k.story, k.audit, keys.storyCounter, keys.storyIndex, ...padded.map((c) => keys.slug(c))],
        [JSON.stringify(fields), input.author, ...padded],
      );
      if (outcome === 0) throw appError('INTERNAL', 'Story id collision');
      if (outcome === -1 || !slug) {
        throw input.slug
          ? appError('SLUG_TAKEN')
          : appError('SLUG_TAKEN', 'Could not find a free slug for this title; choose one');
      }
      return { ...fields, slug, lastSeq: 0 };
    },

    getStoryById,

    /** A story by id or by slug. */
    async getStory(idOrSlug: string): Promise<Story | null> {
      if (STORY_ID_PATTERN.test(idOrSlug)) {
        const byId = await getStoryById(idOrSlug);
        if (byId) return byId;
      }
      const id = await redis.get(keys.slug(idOrSlug));
      return id ? getStoryById(id) : null;
    },

    async listStories(limit: number, before?: string): Promise<Page<Story>> {
      const max = before ? `(${before}` : '+inf';
      const rows = await redis.zrevrangebyscore(keys.storyIndex, max, '-inf', 'WITHSCORES', 'LIMIT', 0, limit + 1);
      const ids: string[] = [];
      const scores: string[] = [];
      for (let i = 0; i < rows.length; i += 2) {
        ids.push(rows[i] as string);
        scores.push(rows[i + 1] as string);
      }
      const pageIds = ids.slice(0, limit);
      const pipeline = redis.pipeline();
      for (const id of pageIds) pipeline.hgetall(keys.story(id).story);
      const hashes = (await pipeline.exec()) ?? [];
      const items = hashes
        .map(([, hash]) => storyFromHash((hash ?? {}) as Record<string, string>))
        .filter((s): s is Story => s !== null);
      return { items, next: ids.length > limit ? (scores[limit - 1] ?? null) : null };
    },

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

    async applyUpdateOp(storyId: string, op: UpdateOp): Promise<OpResult> {
      const k = keys.story(storyId);
      const reply = await SCRIPTS.applyUpdateOp.run<ScriptReply>(
        redis,
        [k.story, k.updates, k.timeline, k.pinned, k.log, k.ops, k.keyEvents, k.audit],
        [JSON.stringify(op), limits.maxPinned, limits.logMaxEvents],
      );
      return opResult(reply);
    },

    /** The story's audit trail, newest first. */
    async readAudit(storyId: string, limit: number): Promise<AuditEntry[]> {
      return auditEntries(await redis.xrevrange(keys.story(storyId).audit, '+', '-', 'COUNT', limit));
    },

    async patchStory(storyId: string, op: StoryPatchOp): Promise<OpResult> {
      const k = keys.story(storyId);
      const reply = await SCRIPTS.patchStory.run<ScriptReply>(
        redis,
        [k.story, k.log, k.ops, k.audit],
        [JSON.stringify(op), limits.logMaxEvents],
      );
      return opResult(reply);
    },
  };
}
