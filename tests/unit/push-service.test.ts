// Proves the fake push service against the real sender library (web-push), so that integration
// tests can trust "received" and "rejected". web-push's sendNotification always uses
// https.request, so these tests build requests with generateRequestDetails and send them with fetch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import type { RequestOptions } from 'web-push';
import { startPushService } from '../helpers/push-service.ts';
import type { PushService } from '../helpers/push-service.ts';
import { createTestSubscriber } from '../helpers/push-subscriber.ts';
import type { PushSubscriptionJSON } from '../helpers/push-subscriber.ts';

const vapidKeys = webpush.generateVAPIDKeys();
const options: RequestOptions = {
  vapidDetails: { subject: 'mailto:test@example.com', ...vapidKeys },
  TTL: 60,
  urgency: 'high',
  topic: 'story1',
  contentEncoding: 'aes128gcm',
};

function details(subscription: PushSubscriptionJSON, payload: string | Buffer = '{"title":"Breaking"}') {
  return webpush.generateRequestDetails(subscription, payload, options);
}

/** Sends prepared request details to `endpoint` (defaults to the one they were made for). */
async function send(
  d: ReturnType<typeof details>,
  { endpoint = d.endpoint, signal }: { endpoint?: string; signal?: AbortSignal } = {},
) {
  // fetch computes Content-Length itself and wants string header values.
  const headers = Object.fromEntries(
    Object.entries(d.headers)
      .filter(([name]) => name.toLowerCase() !== 'content-length')
      .map(([n, v]) => [n, String(v)]),
  );
  const res = await fetch(endpoint, { method: 'POST', headers, body: new Uint8Array(d.body), signal });
  await res.text();
  return res;
}

let service: PushService;
beforeEach(async () => {
  service = await startPushService();
});
afterEach(async () => {
  await service.close();
});

describe('test subscriber decryption', () => {
  it('decrypts what web-push encrypts, and refuses a tampered body', () => {
    const subscriber = createTestSubscriber('http://127.0.0.1:1/push/x');
    const { cipherText } = webpush.encrypt(subscriber.keys.p256dh, subscriber.keys.auth, 'héllo', 'aes128gcm');
    expect(subscriber.decrypt(cipherText).toString('utf8')).toBe('héllo');
    const tampered = Buffer.from(cipherText);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => subscriber.decrypt(tampered)).toThrow();
    expect(() => subscriber.decrypt(cipherText.subarray(0, 40))).toThrow();
  });
});

describe('fake push service', () => {
  it('accepts, verifies and decrypts a web-push message', async () => {
    const subscriber = service.newSubscriber('alice');
    const payload = JSON.stringify({ title: 'Breaking', body: 'x'.repeat(2000) });
    const res = await send(details(subscriber.subscription, payload));
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${service.origin}/message/`));
    expect(service.rejected).toEqual([]);
    expect(service.received).toHaveLength(1);
    const [message] = service.received;
    expect(message).toMatchObject({
      subscriberId: subscriber.id,
      endpoint: subscriber.endpoint,
      rawPayload: payload,
      payload: JSON.parse(payload),
      headers: { ttl: 60, urgency: 'high', topic: 'story1', contentEncoding: 'aes128gcm' },
      vapid: { aud: service.origin, sub: 'mailto:test@example.com', publicKey: vapidKeys.publicKey },
    });
    expect(message!.vapid.exp).toBeGreaterThan(Date.now() / 1000);
    expect(service.requestsFor(subscriber.id)).toBe(1);
  });

  it('rejects a JWT signed by a key other than k=', async () => {
    const subscriber = service.newSubscriber();
    const d = details(subscriber.subscription);
    const impostor = webpush.generateVAPIDKeys();
    d.headers.Authorization = d.headers.Authorization!.replace(/k=\S+$/, `k=${impostor.publicKey}`);
    expect((await send(d)).status).toBe(403);
    expect(service.received).toEqual([]);
    expect(service.rejected).toEqual([
      { endpoint: subscriber.endpoint, status: 403, reason: expect.stringMatching(/signature/) },
    ]);
  });

  it('rejects a JWT for another audience', async () => {
    const subscriber = service.newSubscriber();
    const d = details(subscriber.subscription);
    const { Authorization } = webpush.getVapidHeaders(
      'https://push.example.net',
      'mailto:test@example.com',
      vapidKeys.publicKey,
      vapidKeys.privateKey,
      'aes128gcm',
    );
    d.headers.Authorization = Authorization;
    expect((await send(d)).status).toBe(403);
    expect(service.rejected[0]?.reason).toMatch(/aud/);
  });

  it('rejects a request without VAPID or without TTL', async () => {
    const subscriber = service.newSubscriber();
    const noAuth = details(subscriber.subscription);
    delete noAuth.headers.Authorization;
    expect((await send(noAuth)).status).toBe(401);
    const noTtl = details(subscriber.subscription);
    delete noTtl.headers.TTL;
    expect((await send(noTtl)).status).toBe(400);
    expect(service.rejected.map((r) => r.status)).toEqual([401, 400]);
  });

  it("rejects a payload encrypted for someone else's keys", async () => {
    const subscriber = service.newSubscriber();
    const other = service.newSubscriber();
    expect((await send(details(other.subscription), { endpoint: subscriber.endpoint })).status).toBe(400);
    expect(service.rejected[0]?.reason).toMatch(/decryption failed/);
    expect(service.requestsFor(subscriber.id)).toBe(1);
    expect(service.requestsFor(other.id)).toBe(0);
  });

  it('rejects bodies over 4096 bytes and unknown subscriptions', async () => {
    const subscriber = service.newSubscriber();
    expect((await send(details(subscriber.subscription, 'y'.repeat(4100)))).status).toBe(413);
    expect((await send(details(subscriber.subscription), { endpoint: `${service.origin}/push/nobody` })).status).toBe(
      404,
    );
    expect(service.rejected.map((r) => r.status)).toEqual([413, 404]);
  });

  it('answers 410 Gone for an expired subscription, every time', async () => {
    const subscriber = service.newSubscriber();
    service.behave(subscriber.endpoint, { status: 410 });
    expect((await send(details(subscriber.subscription))).status).toBe(410);
    expect((await send(details(subscriber.subscription))).status).toBe(410);
    expect(service.received).toEqual([]);
    expect(service.rejected).toEqual([]);
    expect(service.requestsFor(subscriber.id)).toBe(2);
  });

  it('answers 429 with Retry-After the given number of times, then 201', async () => {
    const subscriber = service.newSubscriber();
    service.behave(subscriber.id, { status: 429, retryAfter: 7, times: 1 });
    const throttled = await send(details(subscriber.subscription));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect((await send(details(subscriber.subscription))).status).toBe(201);
    expect(service.received).toHaveLength(1);
  });

  it('answers a simulated 413, and 500 `times` times', async () => {
    const big = service.newSubscriber();
    service.behave(big.id, { status: 413 });
    expect((await send(details(big.subscription))).status).toBe(413);
    const flaky = service.newSubscriber();
    service.behave(flaky.id, { status: 500, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send(details(flaky.subscription))).status);
    expect(statuses).toEqual([500, 500, 201]);
    expect(service.requestsFor(flaky.id)).toBe(3);
    expect(service.received.map((m) => m.subscriberId)).toEqual([flaky.id]);
    expect(service.rejected).toEqual([]);
  });

  it('hangs when told to, counting concurrent requests, and still closes', async () => {
    const subscriber = service.newSubscriber();
    service.behave(subscriber.id, { hang: true });
    const attempts = [1, 2, 3].map(() => send(details(subscriber.subscription), { signal: AbortSignal.timeout(300) }));
    for (const attempt of attempts) await expect(attempt).rejects.toThrow();
    expect(service.maxConcurrent).toBe(3);
    expect(service.requestsFor(subscriber.id)).toBe(3);
    expect(service.requestCount).toBe(3);
    expect(service.received).toEqual([]);
    expect(service.rejected).toEqual([]);

    // A request still hanging at close() is cut off rather than keeping the test alive.
    const stuck = send(details(subscriber.subscription));
    await expect.poll(() => service.inFlight).toBe(1);
    await service.close();
    await expect(stuck).rejects.toThrow();
  });
});
