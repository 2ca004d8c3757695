/**
 * Creating a story. Its slug key, the story index and the story's own keys sit in different hash
 * slots (on Redis Cluster, on different nodes), so no one script can write them all. Creation is
 * three steps instead, each on one slot, ordered so that a process that dies between two of them
 * leaves nothing a reader or an editor can trip over:
 * 1. claim a slug with SET NX, its value the story id, so the slug can only ever lead to this id
 *    (a repeat with the same id finds its own claim and keeps it);
 * 2. list the id in the story index (ZADD NX keeps the first position of a repeat). Listing
 *    skips ids whose story does not exist (story-reads.ts), so an id listed by a process that
 *    died before step 3 stays invisible;
 * 3. write the story hash and its audit entry atomically in the story's slot (createStory-2.lua).
 * A death after step 1 leaves the slug taken by an id that never becomes a story: the slug reads
 * as not found, and creating another story with that slug answers SLUG_TAKEN. That is the price
 * of never giving one slug to two stories.
 */
import type { RedisClient } from '../redis/connections.ts';
import { slugify, type Story } from '../domain/story.ts';
import { appError } from '../errors.ts';
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

/** How many slugs a new story may try when the editor chose none. */
const SLUG_CANDIDATES = 5;

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

/** The first candidate that is free or already this story's, claimed for it; null if all are taken. */
async function claimSlug(redis: RedisClient, keys: Keys, storyId: string, candidates: string[]) {
  for (const slug of candidates) {
    if ((await redis.set(keys.slug(slug), storyId, 'NX')) === 'OK') return slug;
    if ((await redis.get(keys.slug(slug))) === storyId) return slug;
  }
  return null;
}

/** Lists the story once: a repeat keeps its first position (the counter only leaves a gap). */
async function listStory(redis: RedisClient, keys: Keys, storyId: string): Promise<void> {
  const position = await redis.incr(keys.storyCounter);
  await redis.zadd(keys.storyIndex, 'NX', position, storyId);
}

export async function createStory(redis: RedisClient, keys: Keys, input: NewStory): Promise<Story> {
  const k = keys.story(input.id);
  // Ids are random, so this is a guard against a bug, checked before anything is claimed (the
  // script checks again, atomically, before it writes).
  if ((await redis.exists(k.story)) === 1) throw appError('INTERNAL', 'Story id collision');
  const slug = await claimSlug(redis, keys, input.id, candidateSlugs(input.slug, input.title, input.id));
  if (!slug) {
    throw input.slug
      ? appError('SLUG_TAKEN')
      : appError('SLUG_TAKEN', 'Could not find a free slug for this title; choose one');
  }
  await listStory(redis, keys, input.id);
  const fields = {
    id: input.id,
    title: input.title,
    summary: input.summary,
    status: 'live' as const,
    createdAt: input.at,
    updatedAt: input.at,
    epoch: input.epoch,
  };
  const created = await SCRIPTS.createStory.run<number>(
    redis,
    [k.story, k.audit],
    [JSON.stringify(fields), input.author, slug],
  );
  if (created === 0) throw appError('INTERNAL', 'Story id collision');
  return { ...fields, keyPoints: '', keyPointsHtml: '', slug, lastSeq: 0 };
}
