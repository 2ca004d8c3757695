/**
 * The writes that change a story and append to its log, each one Lua script (which assigns the
 * seq): an operation on an update and a story patch; and creating a story (story-create.ts).
 */
import type { RedisClient } from '../redis/connections.ts';
import type { Byline } from '../domain/byline.ts';
import type { StoryEvent } from '../domain/events.ts';
import type { Story, StoryStatus } from '../domain/story.ts';
import { appError, type ErrorCode } from '../errors.ts';
import type { Keys } from './keys.ts';
import { SCRIPTS } from './lua-script.ts';
import { createStory, type NewStory } from './story-create.ts';

export type { NewStory };

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

export function createStoryWrites(redis: RedisClient, keys: Keys, limits: StoreLimits) {
  return {
    createStory: (input: NewStory): Promise<Story> => createStory(redis, keys, input),

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
