/**
 * Tells when this node's sharded subscriptions may have missed messages and are back. Redis
 * pub/sub keeps nothing for a subscriber that was away, so whoever relies on them must then catch
 * up from the log.
 * - One server or Sentinel: the connection closed; ioredis resubscribes every channel on 'ready'.
 * - Cluster: a shard's subscriber connection was lost or a slot moved to another primary (Redis
 *   drops the slot's subscriptions then); ioredis refreshes the slot map, resubscribes each
 *   channel on its shard's primary and emits 'subscribersReady'.
 */
import { Cluster } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisClient } from '../redis/connections.ts';

/** Lets ioredis's resubscriptions reach Redis before anyone reads the log to catch up. */
const RESTORE_DELAY_MS = 250;

export function watchSubscriptionRestores(subClient: RedisClient, logger: Logger, restored: () => void): void {
  const restore = (why: string) =>
    setTimeout(() => {
      logger.info({ why }, 'Redis subscriptions restored; listeners catch up from the log');
      restored();
    }, RESTORE_DELAY_MS).unref();

  if (subClient instanceof Cluster) {
    // Each one after the first reports a change (ioredis emits none when nothing changed). One
    // more at start-up, before any reader, costs nothing: it reaches no reader and empty caches.
    let started = false;
    subClient.on('subscribersReady', () => {
      if (started) restore('cluster subscribers reset');
      started = true;
    });
    return;
  }
  let lost = false;
  subClient.on('close', () => {
    lost = true;
  });
  subClient.on('ready', () => {
    if (!lost) return;
    lost = false;
    restore('reconnected');
  });
}
