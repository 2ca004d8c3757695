/** `GET /api/stories/:id/alerts`: every alerted update's delivery counters, readable after the fact. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushService, type PushService } from '../helpers/push-service.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let push: PushService;

beforeAll(async () => {
  push = await startPushService();
  stack = await startStack({
    workers: 1,
    env: { PUSH_ENDPOINT_ALLOWLIST: push.origin, PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000' },
  });
});
afterAll(async () => {
  await stack.close();
  await push.close();
});

async function subscribe(topics: string[]): Promise<void> {
  const subscriber = push.newSubscriber('reader');
  const res = await stack.request('POST', '/api/push/subscriptions', {
    body: { subscription: subscriber.subscription, topics },
    token: null,
  });
  expect(res.status).toBe(201);
}

describe('GET /api/stories/:id/alerts', () => {
  it('lists the alerted updates, newest first, with their counters after the push run', async () => {
    const story = (await stack.request('POST', '/api/stories', { body: { title: 'Alerts listed' } })).body;
    await subscribe([`story:${story.id}`]);
    await subscribe([`story:${story.id}`, 'breaking']);
    await subscribe(['breaking']);
    const post = (body: Record<string, unknown>) =>
      stack.request('POST', `/api/stories/${story.id}/updates`, { body: { body: 'text', ...body } });
    expect((await post({ id: 'quiet' })).status).toBe(202);
    expect((await post({ id: 'alerted', notify: true })).status).toBe(202);
    await eventually(() => push.received.length === 2, 'the first alert');
    expect((await post({ id: 'breaking', notify: true, breaking: true })).status).toBe(202);
    await eventually(() => push.received.length === 5, 'the breaking alert');

    const alerts = await eventually(async () => {
      const res = await stack.request('GET', `/api/stories/${story.id}/alerts`);
      return res.body.alerts.length === 2 &&
        res.body.alerts.every((a: { delivery: { pending: number } }) => a.delivery.pending === 0)
        ? res.body.alerts
        : null;
    }, 'settled counters');
    expect(alerts.map((a: { updateId: string }) => a.updateId)).toEqual(['breaking', 'alerted']);
    expect(alerts[0]).toMatchObject({
      breaking: true,
      delivery: { targeted: 3, sent: 3, failed: 0, pruned: 0, pending: 0 },
    });
    expect(alerts[1]).toMatchObject({
      breaking: false,
      delivery: { targeted: 2, sent: 2, failed: 0, pruned: 0, pending: 0 },
    });
    expect(Date.parse(alerts[0].at)).not.toBeNaN();
  });

  it('lists an alert that reached nobody, with zero counters; needs a token and a known story', async () => {
    const story = (await stack.request('POST', '/api/stories', { body: { title: 'Nobody listens' } })).body;
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'lonely', body: 'x', notify: true },
    });
    const alerts = await eventually(async () => {
      const list = (await stack.request('GET', `/api/stories/${story.slug}/alerts`)).body.alerts as unknown[];
      return list.length > 0 ? list : null;
    }, 'the alert');
    expect(alerts).toEqual([
      {
        updateId: 'lonely',
        breaking: false,
        at: expect.any(String),
        delivery: { targeted: 0, sent: 0, failed: 0, pruned: 0, pending: 0 },
      },
    ]);
    expect((await stack.request('GET', `/api/stories/${story.id}/alerts`, { token: null })).status).toBe(401);
    const unknown = await stack.request('GET', '/api/stories/no-such-story/alerts');
    expect(unknown.body.error.code).toBe('STORY_NOT_FOUND');
  });
});
