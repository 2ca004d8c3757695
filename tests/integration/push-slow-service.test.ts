/** One push service hangs: its alerts are retried, and nothing else waits for it. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrlOf } from '../helpers/test-config.ts';
import { createSubscriptionStore } from '../../src/push/subscription-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { startPushService, type PushService, type PushServiceSubscriber } from '../helpers/push-service.ts';
import { feedReader } from '../helpers/readers.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let slow: PushService;
let fast: PushService;

beforeAll(async () => {
  [slow, fast] = await Promise.all([startPushService(), startPushService()]);
  stack = await startStack({
    env: {
      PUSH_ENDPOINT_ALLOWLIST: `${slow.origin},${fast.origin}`,
      PUSH_CONCURRENCY: '24',
      PUSH_PER_ORIGIN_CONCURRENCY: '8',
      PUSH_TIMEOUT_MS: '1500',
      PUSH_MAX_ATTEMPTS: '6',
      PUSH_RETRY_BASE_MS: '200',
      PUSH_BATCH_SIZE: '100',
    },
  });
});
afterAll(async () => {
  await stack.close();
  await Promise.all([slow.close(), fast.close()]);
});

describe('a slow push service', () => {
  it('gets its alerts retried while the other service and the live stream carry on', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Slow service' } });
    const redis = new Redis(redisUrlOf(stack.config));
    const subscriptions = createSubscriptionStore(redis, createKeys(stack.config.keyPrefix));
    const make = (service: PushService, n: number) => Array.from({ length: n }, () => service.newSubscriber());
    const slowSubs = make(slow, 200);
    const fastSubs = make(fast, 200);
    // Interleaved, so every batch holds subscribers of both services.
    for (let i = 0; i < 200; i++) {
      for (const s of [slowSubs[i]!, fastSubs[i]!]) {
        await subscriptions.upsert({ endpoint: s.endpoint, p256dh: s.keys.p256dh, auth: s.keys.auth }, [
          `story:${story.id}`,
        ]);
      }
    }
    for (const s of slowSubs) slow.behave(s.id, { hang: true });
    const reader = feedReader(stack.reader(), stack.urls[0]!, story.id, 0);
    await eventually(() => reader.feed.isLive, 'reader live');

    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'alert', body: 'Alert!', notify: true },
    });
    await eventually(() => fast.received.length === 200, 'every fast-service subscriber served', 30_000);
    expect(slow.received).toHaveLength(0);
    expect(slow.maxConcurrent).toBeLessThanOrEqual(8);

    // The live stream does not wait for alerts.
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'next', body: 'Next update' } });
    await eventually(() => reader.events.some((e) => e.update?.id === 'next'), 'the next update to reach the reader');
    expect(fast.received).toHaveLength(200);

    for (const s of slowSubs) slow.behave(s.id, null);
    await eventually(() => slow.received.length === 200, 'the slow service to get its alerts on a retry', 60_000);
    const perSubscriber = new Map<string, number>();
    for (const m of [...slow.received, ...fast.received])
      perSubscriber.set(m.subscriberId, (perSubscriber.get(m.subscriberId) ?? 0) + 1);
    expect([...perSubscriber.values()].filter((n) => n !== 1)).toEqual([]);
    // The ones that hung were tried again.
    expect(slowSubs.filter((s: PushServiceSubscriber) => slow.requestsFor(s.id) >= 2).length).toBeGreaterThanOrEqual(8);
    redis.disconnect();
  }, 120_000);
});
