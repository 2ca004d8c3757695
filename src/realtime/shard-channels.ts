/**
 * The sharded pub/sub channels an API node's subscriber connection holds. Several holders want a
 * story's channel at once (the Socket.IO adapter while the story's room has sockets here, the SSE
 * hub while it has streams, the read caches while they keep the story's reads), but a Redis
 * subscription is not counted: the first holder subscribes, the last one unsubscribes.
 *
 * A channel is live once Redis confirmed the SSUBSCRIBE: from then on every SPUBLISH reaches this
 * node. Whoever reads the log to catch up waits for that first (see whenLive), so nothing
 * published in between is missed.
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../redis/connections.ts';

interface Channel {
  holders: number;
  live: boolean;
  subscribed: Promise<void>;
}

/** What the sharded adapter calls on its "subClient" (@socket.io/redis-adapter util.js, ioredis branch). */
export interface AdapterSubscriber {
  on(event: 'smessageBuffer', listener: (channel: Buffer, message: Buffer) => void): AdapterSubscriber;
  ssubscribe(channel: string): void;
  sunsubscribe(channel: string): void;
}

export class ShardChannels {
  private readonly channels = new Map<string, Channel>();
  private readonly liveListeners = new Set<(channel: string) => void>();

  constructor(
    readonly client: RedisClient,
    private readonly logger: Logger,
  ) {}

  /** Takes a hold on the channel; resolves once it is live (rejects if Redis refused it). */
  hold(channel: string): Promise<void> {
    const held = this.channels.get(channel);
    if (held) {
      held.holders++;
      return held.subscribed;
    }
    const state: Channel = { holders: 1, live: false, subscribed: Promise.resolve() };
    state.subscribed = this.client.ssubscribe(channel).then(() => {
      if (this.channels.get(channel) !== state) return;
      state.live = true;
      for (const listener of this.liveListeners) listener(channel);
    });
    // A holder that does not wait must not leave an unhandled rejection behind.
    state.subscribed.catch((error: unknown) => this.logger.warn({ err: error, channel }, 'SSUBSCRIBE failed'));
    this.channels.set(channel, state);
    return state.subscribed;
  }

  release(channel: string): void {
    const state = this.channels.get(channel);
    if (!state) return;
    if (--state.holders > 0) return;
    this.channels.delete(channel);
    this.client
      .sunsubscribe(channel)
      .catch((error: unknown) => this.logger.warn({ err: error, channel }, 'SUNSUBSCRIBE failed'));
  }

  /** Resolves at once when the held channel is live, else when its SSUBSCRIBE is confirmed within `timeoutMs`. */
  whenLive(channel: string, timeoutMs: number): Promise<void> {
    const state = this.channels.get(channel);
    if (!state) return Promise.reject(new Error(`channel not held: ${channel}`));
    if (state.live) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`SSUBSCRIBE not confirmed in ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([state.subscribed, timeout]).finally(() => clearTimeout(timer));
  }

  isLive(channel: string): boolean {
    return this.channels.get(channel)?.live === true;
  }

  /** Called when a channel becomes live (not again when ioredis resubscribes it after a reconnect). */
  onLive(listener: (channel: string) => void): void {
    this.liveListeners.add(listener);
  }

  /** The adapter holds a room's channel through this, so its SUNSUBSCRIBE cannot cut another holder's. */
  adapterSubscriber(): AdapterSubscriber {
    const subscriber: AdapterSubscriber = {
      on: (event, listener) => {
        this.client.on(event, listener);
        return subscriber;
      },
      ssubscribe: (channel) => void this.hold(channel).catch(() => undefined),
      sunsubscribe: (channel) => this.release(channel),
    };
    return subscriber;
  }
}
