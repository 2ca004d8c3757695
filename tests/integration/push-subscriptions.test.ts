import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushService, type PushService } from '../helpers/push-service.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let push: PushService;
let storyId: string;

beforeAll(async () => {
  push = await startPushService();
  stack = await startStack({
    apis: 2,
    workers: 0,
    env: { PUSH_ENDPOINT_ALLOWLIST: push.origin, PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000' },
  });
  storyId = (await stack.request('POST', '/api/stories', { body: { title: 'Push story' } })).body.id;
});
afterAll(async () => {
  await stack.close();
  await push.close();
});

function subscriptionBody(endpoint: string, topics: string[] = [`story:${storyId}`]) {
  const subscriber = push.newSubscriber();
  return { subscription: { ...subscriber.subscription, endpoint }, topics };
}

describe('VAPID public key', () => {
  it('is generated once and kept: every API node and every restart serves the same key', async () => {
    const a = await stack.request('GET', '/api/push/public-key');
    const b = await stack.request('GET', '/api/push/public-key', { base: stack.urls[1] });
    expect(a.status).toBe(200);
    expect(a.body.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(b.body.publicKey).toBe(a.body.publicKey);
    const again = await startStack({ env: { KEY_PREFIX: stack.config.keyPrefix }, editor: 'second' });
    expect((await again.request('GET', '/api/push/public-key')).body.publicKey).toBe(a.body.publicKey);
    await again.close();
  });

  it('comes from config when VAPID keys are set', async () => {
    const keys = {
      VAPID_PUBLIC_KEY: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
      VAPID_PRIVATE_KEY: 'tUxbf-Mi8a3fTVxDSW5IGiPkn1lVrGlYkmhCFzHkrGw',
    };
    const configured = await startStack({ env: keys });
    expect((await configured.request('GET', '/api/push/public-key')).body.publicKey).toBe(keys.VAPID_PUBLIC_KEY);
    await configured.close();
  });
});

describe('POST /api/push/subscriptions', () => {
  it('subscribes, replaces the topics of the same endpoint, and unsubscribes', async () => {
    const subscriber = push.newSubscriber();
    const body = { subscription: subscriber.subscription, topics: [`story:${storyId}`] };
    const first = await stack.request('POST', '/api/push/subscriptions', { body, token: null });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(String), topics: [`story:${storyId}`] });
    const replaced = await stack.request('POST', '/api/push/subscriptions', {
      body: { ...body, topics: ['breaking'] },
      token: null,
    });
    expect(replaced.status).toBe(201);
    expect(replaced.body.id).toBe(first.body.id);
    const storyTopic = await stack.redis.zrange(`${stack.config.keyPrefix}push:topic:story:${storyId}`, '0', '-1');
    expect(storyTopic).not.toContain(first.body.id);
    expect(await stack.redis.zrange(`${stack.config.keyPrefix}push:topic:breaking`, '0', '-1')).toContain(
      first.body.id,
    );

    const removed = await stack.request('DELETE', '/api/push/subscriptions', {
      body: { endpoint: subscriber.endpoint },
      token: null,
    });
    expect(removed.status).toBe(204);
    expect(await stack.redis.zrange(`${stack.config.keyPrefix}push:topic:breaking`, '0', '-1')).not.toContain(
      first.body.id,
    );
    expect(await stack.redis.exists(`${stack.config.keyPrefix}push:sub:${first.body.id}`)).toBe(0);
    const again = await stack.request('DELETE', '/api/push/subscriptions', {
      body: { endpoint: subscriber.endpoint },
      token: null,
    });
    expect(again.status).toBe(204);
  });

  it.each([
    ['https://127.0.0.1/push/x'],
    ['https://[::1]/push/x'],
    ['https://169.254.169.254/latest/meta-data'],
    ['https://10.0.0.1/push/x'],
    ['https://192.168.1.10/push'],
    ['https://172.16.0.5/push'],
    ['https://[fd00::1]/push'],
    ['https://[fe80::1]/push'],
    ['https://[::ffff:127.0.0.1]/push'],
    ['https://0.0.0.0/push'],
    ['https://100.64.0.1/push'],
    ['http://example.com/push/x'],
    ['https://localhost/push/x'],
    ['https://user:pass@push.example.com/x'],
    ['ftp://push.example.com/x'],
    ['not a url at all'],
  ])('refuses the endpoint %s with 400 PUSH_ENDPOINT_REFUSED and stores nothing', async (endpoint) => {
    const before = await stack.redis.keys(`${stack.config.keyPrefix}push:sub:*`);
    const res = await stack.request('POST', '/api/push/subscriptions', {
      body: subscriptionBody(endpoint),
      token: null,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PUSH_ENDPOINT_REFUSED');
    expect(res.body.error.message).toMatch(/refused/);
    expect(await stack.redis.keys(`${stack.config.keyPrefix}push:sub:*`)).toEqual(before);
  });

  it('lets an allowlisted origin through although it is loopback http', async () => {
    const res = await stack.request('POST', '/api/push/subscriptions', {
      body: subscriptionBody(`${push.origin}/push/allowed`),
      token: null,
    });
    expect(res.status).toBe(201);
  });

  it.each([
    [
      'a p256dh of the wrong length',
      (b: ReturnType<typeof subscriptionBody>) => {
        b.subscription.keys.p256dh = Buffer.alloc(64, 4).toString('base64url');
      },
    ],
    [
      'a p256dh that is not a curve point',
      (b: ReturnType<typeof subscriptionBody>) => {
        b.subscription.keys.p256dh = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url');
      },
    ],
    [
      'a compressed p256dh',
      (b: ReturnType<typeof subscriptionBody>) => {
        b.subscription.keys.p256dh = Buffer.concat([Buffer.from([2]), Buffer.alloc(64, 1)]).toString('base64url');
      },
    ],
    [
      'an auth of 12 bytes',
      (b: ReturnType<typeof subscriptionBody>) => {
        b.subscription.keys.auth = Buffer.alloc(12, 1).toString('base64url');
      },
    ],
    [
      'an auth that is not base64url',
      (b: ReturnType<typeof subscriptionBody>) => {
        b.subscription.keys.auth = '!!!!!!!!!!!!!!!!!!!!!!';
      },
    ],
    [
      'no topics',
      (b: ReturnType<typeof subscriptionBody>) => {
        b.topics = [];
      },
    ],
    [
      'too many topics',
      (b: ReturnType<typeof subscriptionBody>) => {
        b.topics = Array.from({ length: 21 }, (_, i) => `story:s${i}`);
      },
    ],
    [
      'an unknown kind of topic',
      (b: ReturnType<typeof subscriptionBody>) => {
        b.topics = ['everything'];
      },
    ],
    [
      'duplicate topics',
      (b: ReturnType<typeof subscriptionBody>) => {
        b.topics = ['breaking', 'breaking'];
      },
    ],
    [
      'an extra field',
      (b: ReturnType<typeof subscriptionBody>) => {
        (b as Record<string, unknown>).admin = true;
      },
    ],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_name, spoil) => {
    const body = subscriptionBody(`${push.origin}/push/validation`);
    spoil(body);
    const res = await stack.request('POST', '/api/push/subscriptions', { body, token: null });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a topic of an unknown story with 404 STORY_NOT_FOUND', async () => {
    const res = await stack.request('POST', '/api/push/subscriptions', {
      body: subscriptionBody(`${push.origin}/push/x`, ['story:nope']),
      token: null,
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('STORY_NOT_FOUND');
  });

  it('rate-limits subscription writes per IP, across API nodes, with 429 RATE_LIMITED', async () => {
    const limited = await startStack({
      apis: 2,
      env: { PUSH_ENDPOINT_ALLOWLIST: push.origin, PUSH_SUBSCRIBE_RATE_PER_MINUTE: '3' },
    });
    const story = (await limited.request('POST', '/api/stories', { body: { title: 'Limited' } })).body;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const body = { subscription: push.newSubscriber().subscription, topics: [`story:${story.id}`] };
      statuses.push(
        (await limited.request('POST', '/api/push/subscriptions', { body, token: null, base: limited.urls[i % 2] }))
          .status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const deletes = [];
    for (let i = 0; i < 4; i++) {
      deletes.push(
        await limited.request('DELETE', '/api/push/subscriptions', {
          body: { endpoint: `${push.origin}/push/x` },
          token: null,
          base: limited.urls[i % 2],
        }),
      );
    }
    expect(deletes.map((r) => r.status)).toEqual([204, 204, 204, 429]);
    expect(deletes[3]!.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/retry in/) });
    await limited.close();
  });
});
