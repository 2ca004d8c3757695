/**
 * Per-update alert delivery: who was targeted, and what became of each message. The claim is
 * taken before a message is sent, so a batch retried after a crash skips every subscription it
 * had started on: an alert may be lost in that crash, but none is ever shown twice.
 *
 * Outcomes are recorded in groups: those settled within a millisecond of each other go out as
 * one MULTI per update (one HSET of every state, one HINCRBY per counter) instead of one MULTI
 * each. A crash before the group is written leaves those subscriptions 'sending', exactly as a
 * crash between the send and a single settle would.
 */
import type { RedisClient } from '../redis/connections.ts';
import type { DeliveryStats } from '../shared/delivery-stats.ts';
import type { Keys } from '../store/keys.ts';
import { SCRIPTS } from '../store/lua-script.ts';

/** How long an alert's delivery states and counters are kept. */
export const DELIVERY_KEEP_SECONDS = 14 * 24 * 3600;

export type FinalState = 'sent' | 'failed' | 'pruned';

export interface DeliveryStoreOptions {
  /** How long a settled outcome may wait for others to share its write (0: the same event-loop turn). */
  settleWindowMs?: number;
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;

interface SettleGroup {
  storyId: string;
  updateId: string;
  /** Flat HSET arguments: subscription id, state, subscription id, state, … */
  states: string[];
  counts: Map<FinalState, number>;
  waiters: { resolve: () => void; reject: (error: Error) => void }[];
}

// A group this large is written at once: the window is for gathering, not for delaying.
const MAX_GROUP = 256;

/**
 * Gathers outcomes settled within the window into one MULTI per update; the promise of each
 * resolves once its group is written.
 */
function createSettleGroups(redis: RedisClient, k: Keys['push'], windowMs: number) {
  let groups = new Map<string, SettleGroup>();
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;

  function writeGroup(group: SettleGroup): void {
    const tx = redis.multi().hset(k.delivery(group.storyId, group.updateId), ...group.states);
    for (const [state, n] of group.counts) tx.hincrby(k.deliveryStats(group.storyId, group.updateId), state, n);
    tx.exec()
      .then((results) => {
        const failed = results?.find(([error]) => error)?.[0];
        if (!results || failed) throw failed ?? new Error('delivery settle transaction was discarded');
        for (const waiter of group.waiters) waiter.resolve();
      })
      .catch((error: Error) => {
        for (const waiter of group.waiters) waiter.reject(error);
      });
  }

  function flush(): void {
    timer = undefined;
    const current = groups;
    groups = new Map();
    for (const group of current.values()) writeGroup(group);
  }

  function record(
    storyId: string,
    updateId: string,
    subscriptionId: string,
    state: FinalState | 'retry',
  ): Promise<void> {
    const id = `${storyId}\n${updateId}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { storyId, updateId, states: [], counts: new Map(), waiters: [] }));
    group.states.push(subscriptionId, state);
    if (state !== 'retry') group.counts.set(state, (group.counts.get(state) ?? 0) + 1);
    const written = new Promise<void>((resolve, reject) => group.waiters.push({ resolve, reject }));
    if (group.waiters.length >= MAX_GROUP) {
      groups.delete(id);
      writeGroup(group);
    } else if (!timer) {
      timer = windowMs > 0 ? setTimeout(flush, windowMs) : setImmediate(flush);
    }
    return written;
  }

  return record;
}

export function createDeliveryStore(redis: RedisClient, keys: Keys, options: DeliveryStoreOptions = {}) {
  const k = keys.push;
  const record = createSettleGroups(redis, k, options.settleWindowMs ?? 1);

  return {
    async claim(storyId: string, updateId: string, subscriptionId: string, retry: boolean): Promise<boolean> {
      const claimed = await SCRIPTS.claimDelivery.run<number>(
        redis,
        [k.delivery(storyId, updateId), k.deliveryStats(storyId, updateId)],
        [subscriptionId, retry ? 'retry' : '', DELIVERY_KEEP_SECONDS],
      );
      return claimed === 1;
    },

    /** Resolves once the state and its counter are written (with the rest of its group). */
    settle(storyId: string, updateId: string, subscriptionId: string, state: FinalState): Promise<void> {
      return record(storyId, updateId, subscriptionId, state);
    },

    /** Marks a claimed subscription for a later retry job. */
    deferRetry(storyId: string, updateId: string, subscriptionId: string): Promise<void> {
      return record(storyId, updateId, subscriptionId, 'retry');
    },

    async stats(storyId: string, updateId: string): Promise<DeliveryStats> {
      const h = await redis.hgetall(k.deliveryStats(storyId, updateId));
      const n = (name: string): number => Number(h[name] ?? 0);
      const settled = n('sent') + n('failed') + n('pruned');
      return {
        targeted: n('targeted'),
        sent: n('sent'),
        failed: n('failed'),
        pruned: n('pruned'),
        pending: Math.max(0, n('targeted') - settled),
      };
    },
  };
}
