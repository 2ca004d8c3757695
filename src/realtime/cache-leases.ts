/**
 * A node hears a story's events only while it subscribes to the story's channel, so it may keep a
 * story's reads in its caches only while it does: else an update on another node would leave the
 * cached page stale here. A read the caches want to keep takes a lease on the channel that
 * outlives the cache entries (their TTL is shorter); leases that nobody renewed are released.
 */
import type { ShardChannels } from './shard-channels.ts';

/** Longer than any cache entry lives (the hot caches' TTL is 5 s). */
export const CACHE_LEASE_MS = 10_000;

export interface CacheLeases {
  /** Renews the story's lease; true when its channel is live, so a body made now may be kept. */
  keep(storyId: string, channel: string): boolean;
  close(): void;
}

export function createCacheLeases(channels: ShardChannels, now: () => number = Date.now): CacheLeases {
  const leases = new Map<string, { channel: string; until: number }>();
  const sweep = setInterval(() => {
    const time = now();
    for (const [storyId, lease] of leases) {
      if (lease.until > time) continue;
      leases.delete(storyId);
      channels.release(lease.channel);
    }
  }, CACHE_LEASE_MS / 2);
  sweep.unref();

  return {
    keep(storyId, channel) {
      const lease = leases.get(storyId);
      if (lease) lease.until = now() + CACHE_LEASE_MS;
      else {
        leases.set(storyId, { channel, until: now() + CACHE_LEASE_MS });
        channels.hold(channel).catch(() => undefined);
      }
      return channels.isLive(channel);
    },
    close() {
      clearInterval(sweep);
      for (const lease of leases.values()) channels.release(lease.channel);
      leases.clear();
    },
  };
}
