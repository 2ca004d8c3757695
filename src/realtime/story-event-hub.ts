/**
 * This node's story events, in process: the SSE streams listen here, and so do the read caches'
 * invalidation and the delivery metric (onAnyEvent). It reads the messages of the story channels
 * that the node's sharded subscriber connection holds (shard-channels.ts): a story's channel is
 * held while the story has sockets here (the Socket.IO adapter holds it), SSE streams (this hub
 * holds it) or cached reads (cache leases), so onAnyEvent sees every event of every story this
 * node serves or caches, and nothing of the others.
 */
import type { Logger } from 'pino';
import type { StoryEvent } from '../domain/events.ts';
import { appError } from '../errors.ts';
import { decodeStoryBroadcast } from './broadcast-message.ts';
import { createCacheLeases } from './cache-leases.ts';
import type { ShardChannels } from './shard-channels.ts';
import { storyChannel, storyIdOfChannel } from './story-channel.ts';
import { watchSubscriptionRestores } from './subscription-restore.ts';

export type StoryEventListener = (event: StoryEvent) => void;

export type StoryEventHub = ReturnType<typeof createStoryEventHub>;

/** How long a reader waits for its story's channel before it is told to retry (UNAVAILABLE). */
const LIVE_WAIT_MS = 2_000;

export interface StoryEventHubOptions {
  channels: ShardChannels;
  /** The adapter's channel prefix (keys.socketIo). */
  channelPrefix: string;
  logger: Logger;
  /** Every story event this node receives. */
  onAnyEvent?: StoryEventListener;
  /** The story's channel just became live: events published before may not have reached this node. */
  onStoryLive?: (storyId: string) => void;
}

/** Hands each story event on the node's channels to onAnyEvent and to the story's listeners. */
function storyMessageHandler(options: StoryEventHubOptions, listeners: Map<string, Set<StoryEventListener>>) {
  const { channelPrefix, logger, onAnyEvent } = options;
  return (channelBuffer: Buffer, message: Buffer): void => {
    const channel = channelBuffer.toString();
    const storyId = storyIdOfChannel(channelPrefix, channel);
    if (storyId === null) return;
    try {
      const event = decodeStoryBroadcast(message);
      if (!event || event.storyId !== storyId) return;
      onAnyEvent?.(event);
      for (const listener of listeners.get(storyId) ?? []) listener(event);
    } catch (error) {
      // A malformed message must not take the API down.
      logger.warn({ err: error, channel }, 'dropped an undecodable story event');
    }
  };
}

export function createStoryEventHub(options: StoryEventHubOptions) {
  const { channels, channelPrefix, logger } = options;
  const listeners = new Map<string, Set<StoryEventListener>>();
  /** How each open stream is ended when the process shuts down. */
  const enders = new Set<() => void>();
  const restoredCallbacks = new Set<() => void>();
  const leases = createCacheLeases(channels);
  watchSubscriptionRestores(channels.client, logger, () => {
    for (const callback of restoredCallbacks) callback();
  });
  channels.onLive((channel) => {
    const storyId = storyIdOfChannel(channelPrefix, channel);
    if (storyId !== null) options.onStoryLive?.(storyId);
  });

  const onMessage = storyMessageHandler(options, listeners);
  channels.client.on('smessageBuffer', onMessage);

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
      if (!set) {
        listeners.set(storyId, (set = new Set()));
        channels.hold(storyChannel(channelPrefix, storyId)).catch(() => undefined);
      }
      set.add(listener);
      enders.add(end);
      return () => {
        enders.delete(end);
        if (!set.delete(listener) || set.size > 0) return;
        listeners.delete(storyId);
        channels.release(storyChannel(channelPrefix, storyId));
      };
    },
    /**
     * Resolves once the story's channel (held by a subscriber) is live: read the log after this,
     * and nothing published in between is missed. Rejects with UNAVAILABLE if Redis does not confirm in time.
     */
    whenLive(storyId: string): Promise<void> {
      return channels.whenLive(storyChannel(channelPrefix, storyId), LIVE_WAIT_MS).catch(() => {
        throw appError('UNAVAILABLE');
      });
    },
    /** For the read caches: whether a read of the story made now may be kept (cache-leases.ts). */
    keepsReads(storyId: string): boolean {
      return !closed && leases.keep(storyId, storyChannel(channelPrefix, storyId));
    },
    /** Called after this node's Redis subscriptions were interrupted and are back. */
    onRestored(callback: () => void): () => void {
      restoredCallbacks.add(callback);
      return () => restoredCallbacks.delete(callback);
    },
    /** Ends every open stream (they reconnect to another node) and stops listening. */
    close(): void {
      closed = true;
      for (const end of [...enders]) end();
      leases.close();
      channels.client.off('smessageBuffer', onMessage);
      listeners.clear();
    },
  };
}
