/** A batch worker SIGKILLed in the middle of sending: the retried batches send no alert twice. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubscriptionStore } from '../../src/push/subscription-store.ts';
import { QUEUES } from '../../src/queue/jobs.ts';
import { createKeys } from '../../src/store/keys.ts';
import { spawnNode, type NodeProcess } from '../../scripts/lib/processes.ts';
import { startPushService, type PushService } from '../helpers/push-service.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { processEnv } from '../helpers/test-config.ts';

let stack: Stack;
let push: PushService;
const workers: NodeProcess[] = [];

beforeAll(async () => {
  push = await startPushService();
  stack = await startStack({ workers: 0, env: { PUSH_ENDPOINT_ALLOWLIST: push.origin } });
});
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await stack.close();
  await push.close();
});

describe('a push worker killed mid-batch', () => {
  it('causes no duplicate alert, and every subscription is accounted for', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Crash during alerts' } });
    const keys = createKeys(stack.config.keyPrefix);
    const subscriptions = createSubscriptionStore(stack.redis, keys);
    const subscribers = Array.from({ length: 3_000 }, (_, i) => push.newSubscriber(`crash${i}`));
    await Promise.all(
      subscribers.map((s) =>
        subscriptions.upsert({ endpoint: s.endpoint, p256dh: s.keys.p256dh, auth: s.keys.auth }, [`story:${story.id}`]),
      ),
    );

    // A small concurrency keeps the doomed worker busy long enough to be killed mid-batch.
    const env = processEnv(stack.config, {
      PUSH_ENDPOINT_ALLOWLIST: push.origin,
      PUSH_CONCURRENCY: '8',
      PUSH_BATCH_SIZE: '250',
    });
    const doomed = spawnNode('workers/main.ts', { env });
    workers.push(doomed);
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'alert', body: 'Alert!', notify: true },
    });
    await eventually(() => push.received.length >= 300, 'sending under way', 60_000);
    doomed.kill('SIGKILL');
    await doomed.exited;
    const atKill = push.received.length;
    expect(atKill).toBeLessThan(3_000);

    workers.push(spawnNode('workers/main.ts', { env }));
    const batchCounts = async () => {
      const queue = `${stack.config.queuePrefix}:${QUEUES.pushBatch}`;
      const [waiting, active, delayed] = await Promise.all([
        stack.redis.llen(`${queue}:wait`),
        stack.redis.llen(`${queue}:active`),
        stack.redis.zcard(`${queue}:delayed`),
      ]);
      return waiting + active + delayed;
    };
    await eventually(
      async () => push.received.length > atKill && (await batchCounts()) === 0,
      'the batches to finish',
      90_000,
    );

    const perSubscriber = new Map<string, number>();
    for (const m of push.received) perSubscriber.set(m.subscriberId, (perSubscriber.get(m.subscriberId) ?? 0) + 1);
    expect([...perSubscriber.values()].filter((n) => n > 1)).toEqual([]);
    const states = await stack.redis.hvals(keys.push.delivery(story.id, 'alert'));
    const sent = states.filter((s) => s === 'sent').length;
    const interrupted = states.filter((s) => s === 'sending').length;
    expect(states).toHaveLength(3_000);
    expect(sent + interrupted).toBe(3_000);
    // Only messages in flight at the kill can be lost, never more than the worker's concurrency.
    expect(interrupted).toBeLessThanOrEqual(8);
    // Messages in flight at the kill may have arrived without being marked sent; none came twice.
    expect(push.received.length).toBeGreaterThanOrEqual(sent);
    expect(push.received.length).toBeLessThanOrEqual(sent + interrupted);
    expect(push.rejected).toEqual([]);
  }, 180_000);
});
