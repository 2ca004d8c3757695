/**
 * In-process listeners for story events, for the SSE endpoint. It reads the same Redis pub/sub
 * messages that the Socket.IO Redis adapter receives (the worker's emitter publishes them), on
 * the adapter's own subscriber connection, so SSE costs no extra subscription.
 */
import type { RedisClient } from '../redis/connections.ts';
import notepack from 'notepack.io';
import type { Logger } from 'pino';
import { STORY_EVENT, type StoryEvent } from '../domain/events.ts';

export type StoryEventListener = (event: StoryEvent) => void;

const RESTORE_DELAY_MS = 250;

export type StoryEventHub = ReturnType<typeof createStoryEventHub>;

/**
 * Redis pub/sub keeps nothing for a subscriber that was away: once this node's subscription is
 * back, everyone listening must catch up from the log (see onRestored).
 */
function watchForRestoredSubscription(subClient: RedisClient, logger: Logger, callbacks: Set<() => void>): void {
  let lost = false;
  subClient.on('close', () => {
    lost = true;
  });
  subClient.on('ready', () => {
    if (!lost) return;
    lost = false;
    // ioredis renews the pattern subscription on 'ready'; give it a moment before replaying.
    setTimeout(() => {
      logger.info('Redis subscription restored; listeners catch up from the log');
      for (const callback of callbacks) callback();
    }, RESTORE_DELAY_MS).unref();
  });
}

/** The story event in an emitter's message, or null for any other message. */
function decode(message: Buffer): StoryEvent | null {
  const [, packet] = notepack.decode(message) as [unknown, { data?: unknown[] } | undefined];
  const [name, event] = packet?.data ?? [];
  if (name !== STORY_EVENT || typeof event !== 'object' || event === null) return null;
  return event as StoryEvent;
}

/** `socketIoKey` is the adapter/emitter key; rooms are `story:<id>` in the default namespace. */
export function createStoryEventHub(
  subClient: RedisClient,
  socketIoKey: string,
  logger: Logger,
  onAnyEvent?: StoryEventListener,
) {
  const channelPrefix = `${socketIoKey}#/#story:`;
  const listeners = new Map<string, Set<StoryEventListener>>();
  /** How each open stream is ended when the process shuts down. */
  const enders = new Set<() => void>();
  const restoredCallbacks = new Set<() => void>();
  watchForRestoredSubscription(subClient, logger, restoredCallbacks);

  function onMessage(_pattern: Buffer, channelBuffer: Buffer, message: Buffer): void {
    const channel = channelBuffer.toString();
    if (!channel.startsWith(channelPrefix)) return;
    const storyId = channel.slice(channelPrefix.length, -1);
    const set = listeners.get(storyId);
    if ((!set || set.size === 0) && !onAnyEvent) return;
    try {
      const event = decode(message);
      if (!event) return;
      onAnyEvent?.(event);
      for (const listener of set ?? []) listener(event);
    } catch (error) {
      // A malformed message must not take the API down.
      logger.warn({ err: error, channel }, 'dropped an undecodable story event');
    }
  }

  subClient.on('pmessageBuffer', onMessage);

  let closed = false;

  return {
    subscribe(storyId: string, listener: StoryEventListener, end: () => void): () => void {
      // A stream that arrives while the node shuts down (its replay read was in flight) is ended
      // too, once its caller holds the unsubscribe; else it would hold the HTTP server open.
      if (closed) {
        queueMicrotask(end);
        return () => undefined;
      }
      let set = listeners.get(storyId);
      if (!set) listeners.set(storyId, (set = new Set()));
      set.add(listener);
      enders.add(end);
      return () => {
        set.delete(listener);
        enders.delete(end);
        if (set.size === 0) listeners.delete(storyId);
      };
    },
    /** Called after this node's Redis subscription was interrupted and is back. */
    onRestored(callback: () => void): () => void {
      restoredCallbacks.add(callback);
      return () => restoredCallbacks.delete(callback);
    },
    /** Ends every open stream (they reconnect to another node) and stops listening. */
    close(): void {
      closed = true;
      for (const end of [...enders]) end();
      subClient.off('pmessageBuffer', onMessage);
      listeners.clear();
    },
  };
}
