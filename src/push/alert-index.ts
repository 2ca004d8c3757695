/**
 * Which updates of a story were sent as alerts, so the dashboard can show every alert's delivery
 * counters after a reload, not only in the tab that sent it. The fan-out records each alert once
 * it starts (an alert with no subscriber has no counters, but was still sent); entries expire
 * with the counters.
 */
import type { RedisClient } from '../redis/connections.ts';
import type { DeliveryStats } from '../shared/delivery-stats.ts';
import type { Keys } from '../store/keys.ts';
import { DELIVERY_KEEP_SECONDS, type DeliveryStore } from './delivery-store.ts';

export interface AlertRecord {
  updateId: string;
  breaking: boolean;
  /** When the fan-out started. */
  at: string;
}

export interface AlertWithDelivery extends AlertRecord {
  delivery: DeliveryStats;
}

/** A story's alerts shown at most: the newest, well beyond what one dashboard page lists. */
export const ALERTS_LISTED = 200;

export type AlertIndex = ReturnType<typeof createAlertIndex>;

export function createAlertIndex(redis: RedisClient, keys: Keys) {
  const key = (storyId: string) => keys.push.alerts(storyId);

  async function list(storyId: string): Promise<AlertRecord[]> {
    const entries = await redis.hgetall(key(storyId));
    return Object.entries(entries)
      .map(([updateId, json]) => ({ updateId, ...(JSON.parse(json) as Omit<AlertRecord, 'updateId'>) }))
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, ALERTS_LISTED);
  }

  return {
    /** Idempotent: a retried fan-out keeps the first record. */
    async record(storyId: string, updateId: string, breaking: boolean, at = new Date().toISOString()): Promise<void> {
      await redis
        .multi()
        .hsetnx(key(storyId), updateId, JSON.stringify({ breaking, at }))
        .expire(key(storyId), DELIVERY_KEEP_SECONDS)
        .exec();
    },

    list,

    /** The story's alerts, newest first, each with its delivery counters. */
    async listWithDelivery(storyId: string, delivery: DeliveryStore): Promise<AlertWithDelivery[]> {
      const alerts = await list(storyId);
      const stats = await Promise.all(alerts.map((alert) => delivery.stats(storyId, alert.updateId)));
      return alerts.map((alert, i) => ({ ...alert, delivery: stats[i]! }));
    },
  };
}
