/**
 * Reads of stories themselves: one by id or slug, the newest-first list, and a story's audit trail.
 */
import type { RedisClient } from '../redis/connections.ts';
import type { Story } from '../domain/story.ts';
import type { Keys } from './keys.ts';
import { streamFields } from './stream-fields.ts';

export interface Page<T> {
  items: T[];
  next: string | null;
}

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
    const f = streamFields(fields);
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

/** A story from its hash; null when the hash is empty (no such story). */
function storyFromHash(hash: Record<string, string>): Story | null {
  if (!hash.id) return null;
  return {
    id: hash.id,
    slug: hash.slug ?? '',
    title: hash.title ?? '',
    summary: hash.summary ?? '',
    keyPoints: hash.keyPoints ?? '',
    keyPointsHtml: hash.keyPointsHtml ?? '',
    status: hash.status === 'ended' ? 'ended' : 'live',
    createdAt: hash.createdAt ?? '',
    updatedAt: hash.updatedAt ?? '',
    lastSeq: Number(hash.lastSeq ?? 0),
    epoch: hash.epoch ?? '',
  };
}

export function createStoryReads(redis: RedisClient, keys: Keys) {
  async function getStoryById(id: string): Promise<Story | null> {
    return storyFromHash(await redis.hgetall(keys.story(id).story));
  }

  return {
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
      // One HGETALL each, not a pipeline: on Redis Cluster the stories are on different nodes.
      // An id whose story is missing (its creation died half-way, see story-create.ts) is skipped.
      const hashes = await Promise.all(pageIds.map((id) => redis.hgetall(keys.story(id).story)));
      const items = hashes.map((hash) => storyFromHash(hash)).filter((s): s is Story => s !== null);
      return { items, next: ids.length > limit ? (scores[limit - 1] ?? null) : null };
    },

    /** The story's audit trail, newest first. */
    async readAudit(storyId: string, limit: number): Promise<AuditEntry[]> {
      return auditEntries(await redis.xrevrange(keys.story(storyId).audit, '+', '-', 'COUNT', limit));
    },
  };
}
