/** The delivery store against the test run's Redis: claims, and outcomes settled in groups. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryStore, type DeliveryStore } from '../../src/push/delivery-store.ts';
import { createKeys, type Keys } from '../../src/store/keys.ts';
import { eventually } from '../helpers/stack.ts';
import { redisUrlOf, testConfig } from '../helpers/test-config.ts';

let redis: Redis;
let keys: Keys;
let delivery: DeliveryStore;
let monitor: Redis;
const commands: string[] = [];

beforeAll(async () => {
  const config = testConfig();
  redis = new Redis(redisUrlOf(config));
  keys = createKeys(config.keyPrefix);
  delivery = createDeliveryStore(redis, keys);
  // Records what this test's connection sends, to show that a group is one transaction.
  await redis.ping();
  const source = `127.0.0.1:${redis.stream.localPort}`;
  monitor = await redis.duplicate().monitor();
  monitor.on('monitor', (_time: string, args: string[], from: string) => {
    if (from === source) commands.push(args[0]!.toLowerCase());
  });
});
afterAll(() => {
  monitor.disconnect();
  redis.disconnect();
});

const ids = (n: number, prefix = 'sub') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('delivery store', () => {
  it('claims once per subscription; a retry claim needs a deferred retry', async () => {
    expect(await delivery.claim('s1', 'u1', 'a', false)).toBe(true);
    expect(await delivery.claim('s1', 'u1', 'a', false)).toBe(false);
    expect(await delivery.claim('s1', 'u1', 'a', true)).toBe(false);
    await delivery.deferRetry('s1', 'u1', 'a');
    expect(await delivery.claim('s1', 'u1', 'a', true)).toBe(true);
    expect(await delivery.claim('s1', 'u1', 'a', true)).toBe(false);
    expect(await delivery.stats('s1', 'u1')).toEqual({ targeted: 1, sent: 0, failed: 0, pruned: 0, pending: 1 });
  });

  it('settles outcomes given together in one MULTI per update, with every state and counter right', async () => {
    const subs = ids(120);
    const other = ids(30, 'other');
    await Promise.all([
      ...subs.map((id) => delivery.claim('s2', 'u2', id, false)),
      ...other.map((id) => delivery.claim('s2', 'u3', id, false)),
    ]);
    const before = commands.length;
    const state = (i: number) => (i % 10 === 0 ? 'failed' : i % 10 === 1 ? 'pruned' : 'sent');
    await Promise.all([
      ...subs.map((id, i) =>
        i % 10 === 2 ? delivery.deferRetry('s2', 'u2', id) : delivery.settle('s2', 'u2', id, state(i)),
      ),
      ...other.map((id) => delivery.settle('s2', 'u3', id, 'sent')),
    ]);

    // MONITOR reports a transaction's commands once EXEC has run them.
    await eventually(() => commands.slice(before).filter((c) => c === 'exec').length === 2, 'both transactions');
    const written = commands.slice(before);
    expect(written.filter((c) => c === 'multi')).toHaveLength(2);
    expect(written.filter((c) => c === 'hset')).toHaveLength(2);
    expect(written.filter((c) => c === 'hincrby')).toHaveLength(4);
    const states = await redis.hgetall(keys.push.delivery('s2', 'u2'));
    subs.forEach((id, i) => expect(states[id]).toBe(i % 10 === 2 ? 'retry' : state(i)));
    expect(await delivery.stats('s2', 'u2')).toEqual({ targeted: 120, sent: 84, failed: 12, pruned: 12, pending: 12 });
    expect(await delivery.stats('s2', 'u3')).toEqual({ targeted: 30, sent: 30, failed: 0, pruned: 0, pending: 0 });
  });

  it('a group whose write fails rejects every settle in it', async () => {
    await redis.set(keys.push.delivery('s3', 'u4'), 'not a hash');
    const results = await Promise.allSettled(ids(5).map((id) => delivery.settle('s3', 'u4', id, 'sent')));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
  });
});
