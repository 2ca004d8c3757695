/**
 * Snapshots for "the hostile requests changed nothing": every key under the stack's prefix (but
 * the rate-limit counters, which count refused requests too), and the queues.
 */
import type { RedisClient } from '../../../src/redis/connections.ts';
import { QUEUES } from '../../../src/queue/jobs.ts';
import type { Stack } from '../stack.ts';
import type { HostileStack } from './setup.ts';

/**
 * Each key's type, whether it expires, and its content read in a canonical order. (DUMP is not
 * canonical: a large hash is serialised in hash-table order, which changes when Redis finishes
 * an incremental rehash, without any write.)
 */
async function canonicalContent(redis: RedisClient, key: string, type: string): Promise<unknown> {
  switch (type) {
    case 'string':
      return redis.get(key);
    case 'hash':
      return Object.entries(await redis.hgetall(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    case 'set':
      return (await redis.smembers(key)).sort();
    case 'zset':
      return redis.call('ZRANGE', key, '0', '-1', 'WITHSCORES');
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'stream': {
      const info = (await redis.call('XINFO', 'STREAM', key)) as unknown[];
      const field = (name: string) => info[info.indexOf(name) + 1];
      return {
        entries: await redis.xrange(key, '-', '+'),
        lastId: field('last-generated-id'),
        added: field('entries-added'),
        groups: field('groups'),
      };
    }
    default:
      return (await redis.dumpBuffer(key))?.toString('hex') ?? null;
  }
}

export async function snapshotRedis(stack: Stack): Promise<Map<string, string>> {
  const prefix = stack.config.keyPrefix;
  const snapshot = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await stack.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      if (key.startsWith(`${prefix}rate-limit:`) || key.startsWith(`${prefix}{editors}:writes:`)) continue;
      const [type, ttl] = await Promise.all([stack.redis.type(key), stack.redis.pttl(key)]);
      snapshot.set(
        key,
        JSON.stringify([type, ttl >= 0 ? 'expiring' : 'persistent', await canonicalContent(stack.redis, key, type)]),
      );
    }
  } while (cursor !== '0');
  return snapshot;
}

export interface QueueSnapshot {
  idCounter: string | null;
  counts: Record<string, number>;
  jobIds: string[];
  fanoutCounts: Record<string, number>;
}

const JOB_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children'] as const;

export async function snapshotQueues({ stack, storyOps, pushFanout }: HostileStack): Promise<QueueSnapshot> {
  const jobs = await storyOps.getJobs([...JOB_STATES]);
  return {
    idCounter: await stack.redis.get(`${stack.config.queuePrefix}:${QUEUES.storyOps}:id`),
    counts: await storyOps.getJobCounts(...JOB_STATES),
    jobIds: jobs.map((job) => String(job.id)).sort(),
    fanoutCounts: await pushFanout.getJobCounts(...JOB_STATES),
  };
}

export function diffSnapshots(before: Map<string, string>, after: Map<string, string>) {
  return {
    added: [...after.keys()].filter((key) => !before.has(key)).sort(),
    removed: [...before.keys()].filter((key) => !after.has(key)).sort(),
    changed: [...before.keys()].filter((key) => after.has(key) && after.get(key) !== before.get(key)).sort(),
  };
}

/** What the hostile requests must leave as it was. */
export interface Baseline {
  redis: Map<string, string>;
  queues: QueueSnapshot;
  story: { lastSeq: number; epoch: string };
}

export async function takeBaseline(hostile: HostileStack): Promise<Baseline> {
  const seeded = (await hostile.stack.request('GET', `/api/stories/${hostile.ctx.storyId}`)).body;
  return {
    story: { lastSeq: seeded.lastSeq, epoch: seeded.epoch },
    redis: await snapshotRedis(hostile.stack),
    queues: await snapshotQueues(hostile),
  };
}
