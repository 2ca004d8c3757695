/**
 * Per-update alert delivery: who was targeted, and what became of each message. The claim is
 * taken before a message is sent, so a batch retried after a crash skips every subscription it
 * had started on: an alert may be lost in that crash, but none is ever shown twice.
 */
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys.ts';
import { LuaScript } from '../store/lua-script.ts';

const claimDelivery = new LuaScript('claimDelivery-2.lua');
const KEEP_SECONDS = 14 * 24 * 3600;

export type FinalState = 'sent' | 'failed' | 'pruned';

export interface DeliveryStats {
  targeted: number;
  sent: number;
  failed: number;
  pruned: number;
  /** Targeted and not settled yet: queued, being sent, or waiting to retry. */
  pending: number;
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;

export function createDeliveryStore(redis: Redis, keys: Keys) {
  const k = keys.push;
  return {
    async claim(storyId: string, updateId: string, subscriptionId: string, retry: boolean): Promise<boolean> {
      const claimed = await claimDelivery.run<number>(redis,
        [k.delivery(storyId, updateId), k.deliveryStats(storyId, updateId)], [subscriptionId, retry ? 'retry' : '', KEEP_SECONDS]);
      return claimed === 1;
    },

    async settle(storyId: string, updateId: string, subscriptionId: string, state: FinalState): Promise<void> {
      await redis.multi()
        .hset(k.delivery(storyId, updateId), subscriptionId, state)
        .hincrby(k.deliveryStats(storyId, updateId), state, 1)
        .exec();
    },

    /** Marks a claimed subscription for a later retry job. */
    async deferRetry(storyId: string, updateId: string, subscriptionId: string): Promise<void> {
      await redis.hset(k.delivery(storyId, updateId), subscriptionId, 'retry');
    },

    async stats(storyId: string, updateId: string): Promise<DeliveryStats> {
      const h = await redis.hgetall(k.deliveryStats(storyId, updateId));
      const n = (name: string): number => Number(h[name] ?? 0);
      const settled = n('sent') + n('failed') + n('pruned');
      return { targeted: n('targeted'), sent: n('sent'), failed: n('failed'), pruned: n('pruned'), pending: Math.max(0, n('targeted') - settled) };
    },
  };
}
