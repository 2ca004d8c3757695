/**
 * The writes that change a story and append to its log, each one Lua script (which assigns the
 * seq): creating a story with a free slug, an operation on an update, and a story patch.
 */
import type { RedisClient } from '../redis/connections.ts';
import type { Byline } from '../domain/byline.ts';
import type { StoryEvent } from '../domain/events.ts';
import { slugify, type Story, type StoryStatus } from '../domain/story.ts';
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
  authors?: Byline[];
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
  fields: { title?: string; summary?: string; keyPoints?: string; keyPointsHtml?: string; status?: StoryStatus };
}

export interface OpResult {
  outcome: 'ok' | 'dup' | 'noop';
  seq: number;
  /** The event to publish; null for a noop, or for a dup whose event was trimmed from the log. */
  event: StoryEvent | null;
}

export interface StoreLimits {
  maxPinned: number;
  logMaxEvents: number;
}

type ScriptReply = [string, number | string, string?];

function opResult(reply: ScriptReply): OpResult {
  const [outcome, seq, json] = reply;
  if (outcome === 'err') throw appError(seq as ErrorCode);
  return {
    outcome: outcome as OpResult['outcome'],
    seq: Number(seq),
    event: json ? (JSON.parse(json) as StoryEvent) : null,
  };
}

/** How many slugs a new story may try; createStory-9.lua takes this many slug keys. */
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

export function createStoryWrites(redis: RedisClient, keys: Keys, limits: StoreLimits) {
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
      return { ...fields, keyPoints: '', keyPointsHtml: '', slug, lastSeq: 0 };
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
