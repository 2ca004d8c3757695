/**
 * Alert payloads encrypted on worker threads: what the strict loopback push service decrypts, which
 * threads did the work, and what happens to the messages of a thread that dies.
 */
import { threadId as thisThreadId } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import type { AlertPayload } from '../../src/shared/alert-payload.ts';
import { EncryptPool } from '../../src/push/encrypt-pool.ts';
import { PushSender, type PushHeaders, type PushOutcome } from '../../src/push/push-sender.ts';
import { createSubscriptionStore } from '../../src/push/subscription-store.ts';
import { VapidAuthCache } from '../../src/push/vapid-auth-cache.ts';
import { createKeys } from '../../src/store/keys.ts';
import { startPushService, type PushService, type PushServiceSubscriber } from '../helpers/push-service.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let push: PushService;
beforeAll(async () => {
  push = await startPushService();
});
afterAll(async () => {
  await push.close();
});

const HEADERS: PushHeaders = { ttl: 60, urgency: 'normal' };

function target(subscriber: PushServiceSubscriber) {
  return { endpoint: subscriber.endpoint, keys: subscriber.keys };
}

function receivedBy(subscriber: PushServiceSubscriber) {
  return push.received.filter((r) => r.subscriberId === subscriber.id);
}

describe('PushSender with an encrypt pool', () => {
  const closing: PushSender[] = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((sender) => sender.close()));
  });

  function sender(pool: EncryptPool, concurrency: number): PushSender {
    const vapid = new VapidAuthCache({ ...webpush.generateVAPIDKeys(), subject: 'mailto:test@example.com' });
    const created = new PushSender({
      vapid,
      concurrency,
      perOriginConcurrency: concurrency,
      timeoutMs: 10_000,
      allowlist: [push.origin],
      encryptPool: pool,
    });
    closing.push(created);
    return created;
  }

  it('encrypts on the pool threads, not this one, and every message decrypts to what was sent', async () => {
    const pool = new EncryptPool({ size: 2 });
    const send = sender(pool, 64);
    const subscribers = Array.from({ length: 300 }, (_, i) => push.newSubscriber(`pool${i}`));
    const outcomes = await Promise.all(
      subscribers.map((s, i) => send.send(target(s), JSON.stringify({ title: 'Pool', n: i }), HEADERS)),
    );

    expect(outcomes.every((o) => o.kind === 'sent')).toBe(true);
    subscribers.forEach((s, i) => expect(receivedBy(s).map((r) => r.payload)).toEqual([{ title: 'Pool', n: i }]));
    expect(push.rejected).toEqual([]);
    const stats = pool.stats();
    expect(stats).toHaveLength(2);
    expect(stats.reduce((sum, t) => sum + t.encrypted, 0)).toBe(300);
    // Least-busy dispatch spreads a burst over both threads.
    expect(stats.every((t) => t.encrypted > 0)).toBe(true);
    expect(new Set(stats.map((t) => t.threadId)).size).toBe(2);
    expect(stats.map((t) => t.threadId)).not.toContain(thisThreadId);
  });

  it('a thread that dies turns only its messages into retries, and its replacement takes over', async () => {
    const exits: { threadId: number; lostMessages: number }[] = [];
    const pool = new EncryptPool({ size: 2, onThreadExit: (info) => exits.push(info) });
    const send = sender(pool, 1_000);
    const subscribers = Array.from({ length: 600 }, (_, i) => push.newSubscriber(`doomed${i}`));
    const payload = JSON.stringify({ title: 'Doomed' });
    const sending = subscribers.map((s) => send.send(target(s), payload, HEADERS));

    // Once answers come back, all 600 are posted to the threads and each still holds hundreds.
    await eventually(() => pool.stats().some((t) => t.encrypted > 0), 'the first encrypted messages', 10_000);
    const [victim, survivor] = pool.stats();
    expect(victim!.inHand).toBeGreaterThan(0);
    await pool.workers[0]!.terminate();
    const outcomes = await Promise.all(sending);

    const retries = outcomes.filter((o): o is Extract<PushOutcome, { kind: 'retry' }> => o.kind === 'retry');
    const sent = outcomes.filter((o) => o.kind === 'sent');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.length).toBeLessThanOrEqual(victim!.inHand);
    expect(retries.every((o) => o.reason.includes(`encrypt thread ${victim!.threadId} stopped`))).toBe(true);
    expect(sent.length + retries.length).toBe(600);
    expect(exits).toEqual([expect.objectContaining({ threadId: victim!.threadId, lostMessages: retries.length })]);
    const received = subscribers.filter((s) => receivedBy(s).length === 1).length;
    expect(received).toBe(sent.length);
    expect(push.rejected).toEqual([]);

    await eventually(() => pool.replaced === 1 && pool.workers.length === 2, 'the replacement thread');
    const later = Array.from({ length: 200 }, (_, i) => push.newSubscriber(`later${i}`));
    const laterOutcomes = await Promise.all(later.map((s) => send.send(target(s), payload, HEADERS)));
    expect(laterOutcomes.every((o) => o.kind === 'sent')).toBe(true);
    const replacement = pool.stats().find((t) => t.threadId !== victim!.threadId && t.threadId !== survivor!.threadId);
    expect(replacement?.encrypted).toBeGreaterThan(0);
  });

  it('after close, messages become retries instead of waiting for a thread', async () => {
    const pool = new EncryptPool({ size: 1 });
    const send = sender(pool, 8);
    await pool.close();
    const outcome = await send.send(target(push.newSubscriber('closed')), '{}', HEADERS);
    expect(outcome).toMatchObject({ kind: 'retry', status: 0 });
  });
});

describe('a worker with PUSH_ENCRYPT_THREADS=2', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      env: {
        PUSH_ENDPOINT_ALLOWLIST: push.origin,
        PUSH_ENCRYPT_THREADS: '2',
        PUSH_RETRY_BASE_MS: '50',
        PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000',
      },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  async function storyWithSubscribers(title: string, count: number) {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title } });
    const subscriptions = createSubscriptionStore(stack.redis, createKeys(stack.config.keyPrefix));
    const subscribers = Array.from({ length: count }, (_, i) => push.newSubscriber(`${title}${i}`));
    await Promise.all(
      subscribers.map((s) =>
        subscriptions.upsert({ endpoint: s.endpoint, p256dh: s.keys.p256dh, auth: s.keys.auth }, [`story:${story.id}`]),
      ),
    );
    return { story: story as { id: string }, subscribers };
  }

  async function delivery(storyId: string, updateId: string) {
    return (await stack.request('GET', `/api/stories/${storyId}/updates/${updateId}/delivery`)).body;
  }

  it('sends alerts the push service decrypts, encrypted by its two threads', async () => {
    const pool = stack.workers[0]!.encryptPool!;
    const before = pool.stats().reduce((sum, t) => sum + t.encrypted, 0);
    const { story, subscribers } = await storyWithSubscribers('threads', 200);
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'a1', body: 'Encrypted elsewhere', notify: true },
    });
    await eventually(() => subscribers.every((s) => receivedBy(s).length === 1), 'every alert');

    expect(subscribers.every((s) => (receivedBy(s)[0]!.payload as AlertPayload).updateId === 'a1')).toBe(true);
    expect(push.rejected).toEqual([]);
    const stats = pool.stats();
    expect(stats).toHaveLength(2);
    expect(stats.reduce((sum, t) => sum + t.encrypted, 0) - before).toBe(200);
    expect(stats.every((t) => t.encrypted > 0)).toBe(true);
  });

  it('a thread killed mid-alert: every subscriber still gets the alert exactly once, and the pool is whole again', async () => {
    const pool = stack.workers[0]!.encryptPool!;
    const { story, subscribers } = await storyWithSubscribers('killed', 1_500);
    const start = push.received.length;
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'k1', body: 'Thread down', notify: true },
    });
    await eventually(() => push.received.length - start >= 100, 'sending under way');
    await pool.workers[0]!.terminate();

    await eventually(
      async () => {
        const stats = await delivery(story.id, 'k1');
        return stats.sent === 1_500 && stats.pending === 0;
      },
      'every alert, retries included',
      60_000,
    );
    expect(subscribers.filter((s) => receivedBy(s).length !== 1)).toEqual([]);
    expect(push.rejected).toEqual([]);
    expect(pool.replaced).toBe(1);
    expect(pool.workers).toHaveLength(2);
  });
});
