import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrlOf } from '../helpers/test-config.ts';
import type { AlertPayload } from '../../src/shared/alert-payload.ts';
import { createSubscriptionStore } from '../../src/push/subscription-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { startPushService, type PushService, type PushServiceSubscriber } from '../helpers/push-service.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let push: PushService;

beforeAll(async () => {
  push = await startPushService();
  stack = await startStack({
    workers: 1,
    env: {
      PUSH_ENDPOINT_ALLOWLIST: push.origin,
      PUSH_MAX_ATTEMPTS: '4',
      PUSH_RETRY_BASE_MS: '50',
      PUSH_TIMEOUT_MS: '15000',
      PUBLIC_URL: 'https://news.example',
      PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000',
      PUSH_TTL_SECONDS: '7200',
    },
  });
});
afterAll(async () => {
  await stack.close();
  await push.close();
});

async function newStory(title: string): Promise<{ id: string; slug: string }> {
  return (await stack.request('POST', '/api/stories', { body: { title } })).body;
}

async function subscribe(topics: string[], name = 'reader'): Promise<PushServiceSubscriber> {
  const subscriber = push.newSubscriber(name);
  const res = await stack.request('POST', '/api/push/subscriptions', {
    body: { subscription: subscriber.subscription, topics },
    token: null,
  });
  expect(res.status).toBe(201);
  return subscriber;
}

async function delivery(storyId: string, updateId: string) {
  return (await stack.request('GET', `/api/stories/${storyId}/updates/${updateId}/delivery`)).body;
}

function receivedBy(subscriber: PushServiceSubscriber) {
  return push.received.filter((r) => r.subscriberId === subscriber.id);
}

describe('alerts end to end', () => {
  it('an update with notify reaches the story subscribers, decrypted, with the right headers and VAPID claims', async () => {
    const story = await newStory('Flood warning');
    const reader = await subscribe([`story:${story.id}`]);
    const other = await subscribe(['breaking']);
    const res = await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'flood-1', title: 'River rising', body: 'The **river** is 2 m above normal.', notify: true },
    });
    expect(res.status).toBe(202);
    await eventually(() => receivedBy(reader).length === 1, 'the alert');
    const [message] = receivedBy(reader);
    expect(message!.payload).toEqual({
      title: 'Flood warning',
      body: 'River rising — The river is 2 m above normal.',
      url: `https://news.example/stories/${story.slug}#update-flood-1`,
      storyId: story.id,
      updateId: 'flood-1',
      tag: `story-${story.id}`,
      icon: 'https://news.example/icon-192.png',
      breaking: false,
    } satisfies AlertPayload);
    expect(message!.headers).toMatchObject({
      ttl: 7200,
      urgency: 'normal',
      topic: `s${story.id}`.slice(0, 32),
      contentEncoding: 'aes128gcm',
    });
    const publicKey = (await stack.request('GET', '/api/push/public-key')).body.publicKey;
    expect(message!.vapid).toMatchObject({ aud: push.origin, publicKey, sub: 'https://news.example' });
    expect(receivedBy(other)).toEqual([]);
    expect(push.rejected).toEqual([]);
    await eventually(async () => (await delivery(story.id, 'flood-1')).sent === 1, 'counters');
    expect(await delivery(story.id, 'flood-1')).toEqual({ targeted: 1, sent: 1, failed: 0, pruned: 0, pending: 0 });
  });

  it('a breaking update also alerts "breaking" subscribers, with high urgency, once per device', async () => {
    const story = await newStory('Earthquake');
    const storyOnly = await subscribe([`story:${story.id}`]);
    const breakingOnly = await subscribe(['breaking']);
    const both = await subscribe([`story:${story.id}`, 'breaking']);
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'quake', body: 'Magnitude 6.1', breaking: true },
    });
    await eventually(
      async () => (await delivery(story.id, 'quake')).pending === 0 && (await delivery(story.id, 'quake')).sent >= 3,
      'three sent',
    );
    for (const subscriber of [storyOnly, breakingOnly, both]) {
      expect(receivedBy(subscriber)).toHaveLength(1);
      expect(receivedBy(subscriber)[0]!.headers.urgency).toBe('high');
      expect((receivedBy(subscriber)[0]!.payload as AlertPayload).title).toBe('Breaking: Earthquake');
    }
  });

  it('updates without notify, edits and deletes send no alert', async () => {
    const story = await newStory('Quiet');
    const reader = await subscribe([`story:${story.id}`]);
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'q1', body: 'No alert' } });
    await stack.request('PATCH', `/api/stories/${story.id}/updates/q1`, { body: { body: 'Edited' } });
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'q2', body: 'Alert', notify: true },
    });
    await eventually(() => receivedBy(reader).length === 1, 'one alert');
    expect((receivedBy(reader)[0]!.payload as AlertPayload).updateId).toBe('q2');
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'q3', body: 'Alert 2', notify: true },
    });
    await eventually(() => receivedBy(reader).length === 2, 'second alert');
    expect(receivedBy(reader).map((r) => (r.payload as AlertPayload).updateId)).toEqual(['q2', 'q3']);
  });

  it('requires an editor token for the delivery counters', async () => {
    const story = await newStory('Counters');
    const res = await stack.request('GET', `/api/stories/${story.id}/updates/x/delivery`, { token: null });
    expect(res.status).toBe(401);
  });
});

describe('push service answers', () => {
  let main: Stack;
  beforeAll(async () => {
    // A short timeout, so the hanging subscriber's attempts end quickly.
    main = stack;
    stack = await startStack({
      workers: 1,
      env: {
        PUSH_ENDPOINT_ALLOWLIST: push.origin,
        PUSH_MAX_ATTEMPTS: '4',
        PUSH_RETRY_BASE_MS: '50',
        PUSH_TIMEOUT_MS: '1500',
        PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000',
      },
    });
  });
  afterAll(async () => {
    await stack.close();
    stack = main;
  });

  it('410 and 404 prune the subscription; 413 is retried once shorter; 429 honours Retry-After; 500 gives up after the attempts; a hang times out', async () => {
    const story = await newStory('Answers');
    const topic = [`story:${story.id}`];
    const [gone, notFound, tooLarge, throttled, broken, hanging, fine] = await Promise.all(
      ['gone', 'notfound', 'toolarge', 'throttled', 'broken', 'hanging', 'fine'].map((name) => subscribe(topic, name)),
    );
    push.behave(gone!.id, { status: 410 });
    push.behave(notFound!.id, { status: 404 });
    push.behave(tooLarge!.id, { status: 413, times: 1 });
    push.behave(throttled!.id, { status: 429, retryAfter: 1, times: 2 });
    push.behave(broken!.id, { status: 500 });
    push.behave(hanging!.id, { hang: true });
    const longBody = 'A long paragraph about the event. '.repeat(20);
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'answers', body: longBody, notify: true },
    });

    await eventually(
      async () => {
        const stats = await delivery(story.id, 'answers');
        return stats.targeted === 7 && stats.pending === 0;
      },
      'every delivery settled',
      60_000,
    );
    expect(await delivery(story.id, 'answers')).toEqual({ targeted: 7, sent: 3, failed: 2, pruned: 2, pending: 0 });
    expect(receivedBy(fine!)).toHaveLength(1);

    const keys = createKeys(stack.config.keyPrefix);
    const topicMembers = await stack.redis.zcard(keys.push.topic(topic[0]!));
    expect(topicMembers).toBe(5);

    expect(push.requestsFor(tooLarge!.id)).toBe(2);
    const shortened = receivedBy(tooLarge!)[0]!.payload as AlertPayload;
    expect([...shortened.body].length).toBeLessThanOrEqual(120);
    expect(shortened.icon).toBeUndefined();
    expect([...(receivedBy(fine!)[0]!.payload as AlertPayload).body].length).toBeGreaterThan(120);

    expect(push.requestsFor(throttled!.id)).toBe(3);
    const throttledAt = receivedBy(throttled!)[0]!.at;
    expect(receivedBy(throttled!)).toHaveLength(1);
    expect(throttledAt).toBeGreaterThan(receivedBy(fine!)[0]!.at);

    expect(push.requestsFor(broken!.id)).toBe(4);
    expect(push.requestsFor(hanging!.id)).toBe(4);
    expect(push.rejected).toEqual([]);
  });
});

describe('10,000 subscribers on one topic', () => {
  it('each gets exactly one alert; 410s are pruned; a burst of 429s is retried within limits; one VAPID token per origin', async () => {
    const story = await newStory('Election results');
    const redis = new Redis(redisUrlOf(stack.config));
    const subscriptions = createSubscriptionStore(redis, createKeys(stack.config.keyPrefix));
    const subscribers: PushServiceSubscriber[] = [];
    for (let i = 0; i < 10_000; i++) {
      const subscriber = push.newSubscriber(`bulk${i}`);
      subscribers.push(subscriber);
      if (i % 100 === 0) push.behave(subscriber.id, { status: 410 });
      else if (i % 100 === 1) push.behave(subscriber.id, { status: 429, retryAfter: 1, times: 1 });
    }
    for (let i = 0; i < subscribers.length; i += 500) {
      await Promise.all(
        subscribers
          .slice(i, i + 500)
          .map((s) =>
            subscriptions.upsert({ endpoint: s.endpoint, p256dh: s.keys.p256dh, auth: s.keys.auth }, [
              `story:${story.id}`,
            ]),
          ),
      );
    }
    const startCount = push.received.length;

    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'results', body: 'Polls have closed', notify: true },
    });
    await eventually(
      async () =>
        (await delivery(story.id, 'results')).pending === 0 &&
        (await delivery(story.id, 'results')).targeted === 10_000,
      'all 10,000 settled',
      120_000,
    );
    expect(await delivery(story.id, 'results')).toEqual({
      targeted: 10_000,
      sent: 9_900,
      failed: 0,
      pruned: 100,
      pending: 0,
    });

    const messages = push.received.slice(startCount);
    const perSubscriber = new Map<string, number>();
    for (const m of messages) perSubscriber.set(m.subscriberId, (perSubscriber.get(m.subscriberId) ?? 0) + 1);
    expect(messages).toHaveLength(9_900);
    expect([...perSubscriber.values()].every((n) => n === 1)).toBe(true);
    expect(perSubscriber.size).toBe(9_900);
    expect(subscribers.filter((_, i) => i % 100 === 1).every((s) => push.requestsFor(s.id) === 2)).toBe(true);
    expect(await subscriptions.countTopic(`story:${story.id}`)).toBe(9_900);
    // The JWT was signed once and reused: every message carries the same expiry.
    expect(new Set(messages.map((m) => m.vapid.exp)).size).toBe(1);
    expect(push.rejected).toEqual([]);
    redis.disconnect();
  }, 180_000);
});
