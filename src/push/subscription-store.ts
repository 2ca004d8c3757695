/**
 * Browser push subscriptions and their topics. A subscription is keyed by a hash of its endpoint,
 * so posting the same endpoint again replaces it. Topic sets are sorted by subscription order,
 * which gives the fan-out a stable cursor to page with while people keep subscribing.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis/connections.ts';
import type { Keys } from '../store/keys.ts';

export interface StoredSubscription {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  topics: string[];
  createdAt: string;
}

export interface TopicPage {
  ids: string[];
  /** Score of the last id, for the next page; null at the end. */
  next: string | null;
}

export function subscriptionId(endpoint: string): string {
  return createHash('sha256').update(endpoint).digest('base64url').slice(0, 24);
}

export type SubscriptionStore = ReturnType<typeof createSubscriptionStore>;

type PushKeys = Keys['push'];

function fromHash(id: string, hash: Record<string, string>): StoredSubscription {
  return {
    id,
    endpoint: hash.endpoint ?? '',
    p256dh: hash.p256dh ?? '',
    auth: hash.auth ?? '',
    topics: JSON.parse(hash.topics ?? '[]') as string[],
    createdAt: hash.createdAt ?? '',
  };
}

/** One page of a topic's subscription ids after `cursor` (exclusive), in subscription order. */
async function readTopicPage(
  redis: RedisClient,
  k: PushKeys,
  topic: string,
  cursor: string | null,
  count: number,
): Promise<TopicPage> {
  const rows = await redis.zrangebyscore(
    k.topic(topic),
    cursor === null ? '-inf' : `(${cursor}`,
    '+inf',
    'WITHSCORES',
    'LIMIT',
    0,
    count,
  );
  const ids: string[] = [];
  let last: string | null = null;
  for (let i = 0; i < rows.length; i += 2) {
    ids.push(rows[i] as string);
    last = rows[i + 1] as string;
  }
  return { ids, next: ids.length === count ? last : null };
}

/** The subscriptions that still exist of these ids, in one round trip. */
async function readSubscriptions(redis: RedisClient, k: PushKeys, ids: string[]): Promise<StoredSubscription[]> {
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hgetall(k.subscription(id));
  const replies = (await pipeline.exec()) ?? [];
  return replies.flatMap(([, hash], i) => {
    const h = (hash ?? {}) as Record<string, string>;
    return h.endpoint ? [fromHash(ids[i]!, h)] : [];
  });
}

export function createSubscriptionStore(redis: RedisClient, keys: Keys) {
  const k = keys.push;

  async function get(id: string): Promise<StoredSubscription | null> {
    const hash = await redis.hgetall(k.subscription(id));
    return hash.endpoint ? fromHash(id, hash) : null;
  }

  async function removeById(id: string): Promise<boolean> {
    const existing = await get(id);
    if (!existing) return false;
    const tx = redis.multi();
    for (const topic of existing.topics) tx.zrem(k.topic(topic), id);
    tx.del(k.subscription(id));
    await tx.exec();
    return true;
  }

  return {
    get,
    removeById,

    async upsert(
      input: { endpoint: string; p256dh: string; auth: string },
      topics: string[],
    ): Promise<{ id: string; created: boolean }> {
      const id = subscriptionId(input.endpoint);
      const existing = await get(id);
      const order = existing
        ? Number(await redis.hget(k.subscription(id), 'order'))
        : await redis.incr(k.subscriptionCounter);
      const tx = redis.multi();
      for (const topic of existing?.topics ?? []) if (!topics.includes(topic)) tx.zrem(k.topic(topic), id);
      for (const topic of topics) tx.zadd(k.topic(topic), order, id);
      tx.hset(k.subscription(id), {
        endpoint: input.endpoint,
        p256dh: input.p256dh,
        auth: input.auth,
        topics: JSON.stringify(topics),
        order: String(order),
        createdAt: existing?.createdAt ?? new Date().toISOString(),
      });
      await tx.exec();
      return { id, created: !existing };
    },

    async removeByEndpoint(endpoint: string): Promise<boolean> {
      return removeById(subscriptionId(endpoint));
    },

    /** One page of a topic's subscription ids after `cursor` (exclusive). */
    page: (topic: string, cursor: string | null, count: number) => readTopicPage(redis, k, topic, cursor, count),

    getMany: (ids: string[]) => readSubscriptions(redis, k, ids),

    async countTopic(topic: string): Promise<number> {
      return redis.zcard(k.topic(topic));
    },
  };
}
