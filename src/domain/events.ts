/**
 * The story log's events and the Socket.IO event maps. Shared by the API, the workers, the
 * reader page and the tests, so all four agree on names and payloads.
 */
import { Type, type Static } from 'typebox';
import type { ErrorBody } from '../errors.ts';
import { ID_PATTERN } from './id-pattern.ts';
import type { Story } from './story.ts';
import type { Update } from './update.ts';

export const EVENT_TYPES = [
  'update.created',
  'update.edited',
  'update.deleted',
  'update.pinned',
  'update.unpinned',
  'story.updated',
] as const;
export type StoryEventType = (typeof EVENT_TYPES)[number];

export interface StoryEvent {
  storyId: string;
  seq: number;
  epoch: string;
  type: StoryEventType;
  /** ISO time the event was applied. */
  at: string;
  /** The whole current update (for update.* events). A deleted update carries its last state. */
  update?: Update;
  /** The whole current story (for story.updated). */
  story?: Omit<Story, 'lastSeq'> & { lastSeq?: number };
}

export const STORY_EVENT = 'story-event';

export const SubscribeMessage = Type.Object(
  {
    storyId: Type.String({ pattern: ID_PATTERN }),
    after: Type.Optional(Type.Integer({ minimum: 0 })),
    /** The epoch the reader's `after` belongs to; a different current epoch means reload. */
    epoch: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type SubscribeMessage = Static<typeof SubscribeMessage>;

export const UnsubscribeMessage = Type.Object(
  { storyId: Type.String({ pattern: ID_PATTERN }) },
  { additionalProperties: false },
);
export type UnsubscribeMessage = Static<typeof UnsubscribeMessage>;

export type SubscribeAck =
  | { ok: true; lastSeq: number; epoch: string; replayed: number }
  | { ok: false; error: ErrorBody & { lastSeq?: number; epoch?: string } };

export type UnsubscribeAck = { ok: true } | { ok: false; error: ErrorBody };

export const RESYNC_EVENT = 'resync';

export interface ServerToClientEvents {
  [STORY_EVENT]: (event: StoryEvent) => void;
  /**
   * This node's Redis subscription was interrupted, so live events may have been missed:
   * subscribe again from the last seq (the log fills the gap).
   */
  [RESYNC_EVENT]: () => void;
}

export interface ClientToServerEvents {
  subscribe: (message: SubscribeMessage, ack: (reply: SubscribeAck) => void) => void;
  unsubscribe: (message: UnsubscribeMessage, ack?: (reply: UnsubscribeAck) => void) => void;
}

/**
 * The Socket.IO room of a story; the workers' publisher and the API's subscribe handler both use
 * it. Its first `{…}` is the story's hash tag, so the room's sharded pub/sub channel lives in the
 * slot of the story's keys (src/realtime/story-channel.ts).
 */
export function storyRoom(storyId: string): string {
  return `story:{${storyId}}`;
}
