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

/**
 * The subscriptions that still exist of these ids. One HGETALL each, sent together, not a
 * pipeline: on Redis Cluster the subscriptions are spread over the nodes.
 */
async function readSubscriptions(redis: RedisClient, k: PushKeys, ids: string[]): Promise<StoredSubscription[]> {
  const hashes = await Promise.all(ids.map((id) => redis.hgetall(k.subscription(id))));
  return hashes.flatMap((hash, i) => (hash.endpoint ? [fromHash(ids[i]!, hash)] : []));
}

export function createSubscriptionStore(redis: RedisClient, keys: Keys) {
  const k = keys.push;

  async function get(id: string): Promise<StoredSubscription | null> {
    const hash = await redis.hgetall(k.subscription(id));
    return hash.endpoint ? fromHash(id, hash) : null;
  }

  /**
   * The topic sets first, then the subscription: a process that dies in between leaves a
   * subscription that no fan-out reaches any more, and a retry finds it and finishes the job.
   */
  async function removeById(id: string): Promise<boolean> {
    const existing = await get(id);
    if (!existing) return false;
    await Promise.all(existing.topics.map((topic) => redis.zrem(k.topic(topic), id)));
    await redis.del(k.subscription(id));
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
      // The subscription hash and each topic set are in different slots (on Redis Cluster, on
      // different nodes), so this is three steps, ordered so that a process dying between two
      // of them can cost an alert but never send one the reader did not ask for: leave the
      // dropped topics, then save the subscription, then join its topics. The browser posts its
      // subscription again (a retry), which finds the hash and completes the steps.
      const dropped = (existing?.topics ?? []).filter((topic) => !topics.includes(topic));
      await Promise.all(dropped.map((topic) => redis.zrem(k.topic(topic), id)));
      await redis.hset(k.subscription(id), {
        endpoint: input.endpoint,
        p256dh: input.p256dh,
        auth: input.auth,
        topics: JSON.stringify(topics),
        order: String(order),
        createdAt: existing?.createdAt ?? new Date().toISOString(),
      });
      await Promise.all(topics.map((topic) => redis.zadd(k.topic(topic), order, id)));
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
