/**
 * The whole pipeline on Redis Sentinel (1 primary, 2 replicas, 3 sentinels, real processes on
 * loopback): stories, posts, edits, pins, deletes, story settings, readers on two API nodes,
 * Server-Sent Events, the updates API, and an alert delivered to the loopback push service.
 * REDIS_WAIT_REPLICAS=1, so every acknowledgement also went through a replica.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSentinelSet, type SentinelSet } from '../../scripts/lib/redis-sentinel-set.ts';
import type { StoryEvent } from '../../src/domain/events.ts';
import type { Update } from '../../src/domain/update.ts';
import { startPushService, type PushService } from '../helpers/push-service.ts';
import { feedReader, seqRange } from '../helpers/readers.ts';
import { openSse, type SseConnection } from '../helpers/sse-client.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { testConfig } from '../helpers/test-config.ts';

let set: SentinelSet;
let push: PushService;
let stack: Stack;
let sse: SseConnection | undefined;

beforeAll(async () => {
  set = await startSentinelSet({ replicas: 2, sentinels: 3 });
  push = await startPushService();
  const config = testConfig({
    REDIS_URL: '',
    ...set.env,
    REDIS_WAIT_REPLICAS: '1',
    PUSH_ENDPOINT_ALLOWLIST: push.origin,
    PUBLIC_URL: 'https://news.example',
    PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000',
  });
  stack = await startStack({ apis: 2, workers: 1, config });
});
afterAll(async () => {
  sse?.close();
  await stack?.close();
  await push?.close();
  await set?.remove();
});

const post = (storyId: string, body: Record<string, unknown>, node = 0) =>
  stack.request('POST', `/api/stories/${storyId}/updates`, { body, base: stack.urls[node] });

async function allUpdates(storyId: string): Promise<Update[]> {
  return (await stack.request('GET', `/api/stories/${storyId}/updates?limit=100`)).body.updates;
}

describe('the pipeline on Sentinel', () => {
  it('carries posts, edits, pins, deletes, settings and an alert to readers on both nodes, SSE and the push service', async () => {
    const created = await stack.request('POST', '/api/stories', { body: { title: 'Sentinel night' } });
    expect(created.status).toBe(201);
    const story = created.body;
    const readers = [0, 1].map((node) => feedReader(stack.reader(stack.urls[node]), stack.urls[node]!, story.id, 0));
    await eventually(() => readers.every((r) => r.feed.isLive), 'readers live');
    sse = await openSse(`${stack.urls[1]}/api/stories/${story.id}/events`);
    expect(sse.status).toBe(200);
    const device = push.newSubscriber('device');
    const subscribed = await stack.request('POST', '/api/push/subscriptions', {
      body: { subscription: device.subscription, topics: [`story:${story.id}`] },
      token: null,
    });
    expect(subscribed.status).toBe(201);

    const answers = [
      await post(story.id, { id: 'first', body: 'Polls have closed.' }),
      await post(story.id, { id: 'second', body: 'Turnout is high.' }, 1),
      await post(story.id, { id: 'alert', title: 'Result', body: 'The count is in.', notify: true }),
      await post(story.id, { id: 'doomed', body: 'A mistake.' }, 1),
      await stack.request('PATCH', `/api/stories/${story.id}/updates/first`, { body: { body: 'Polls closed at 10.' } }),
      await stack.request('PATCH', `/api/stories/${story.id}/updates/second`, { body: { pinned: true } }),
      await stack.request('DELETE', `/api/stories/${story.id}/updates/doomed`, { base: stack.urls[1] }),
      await stack.request('PATCH', `/api/stories/${story.id}`, { body: { title: 'Sentinel night: results' } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 202, 202, 202]);

    const events: StoryEvent[] = await eventually(async () => {
      const page = (await stack.request('GET', `/api/stories/${story.id}/events?limit=100`)).body.events;
      return page.length === 8 ? page : undefined;
    }, 'eight events in the log');
    expect(events.map((e) => e.seq)).toEqual(seqRange(1, 8));
    await eventually(() => readers.every((r) => r.feed.position === 8), 'readers at 8');
    await eventually(() => sse!.frames.length >= 8, 'eight SSE frames');
    expect(sse.frames.map((f) => Number(f.id))).toEqual(seqRange(1, 8));

    const updates = await allUpdates(story.id);
    expect(updates.map((u) => u.id).sort()).toEqual(['alert', 'first', 'second']);
    expect(updates.find((u) => u.id === 'first')!.body).toBe('Polls closed at 10.');
    expect(updates.find((u) => u.id === 'second')!.pinned).toBe(true);
    const expected = Object.fromEntries(updates.map((u) => [u.id, u]));
    for (const reader of readers) {
      expect(reader.events.map((e) => e.seq)).toEqual(seqRange(1, 8));
      expect(Object.fromEntries(reader.state.updates)).toEqual(expected);
    }
    const settings = (await stack.request('GET', `/api/stories/${story.id}`)).body;
    expect(settings.title).toBe('Sentinel night: results');

    await eventually(() => push.received.some((r) => r.subscriberId === device.id), 'the alert');
    const alerts = push.received.filter((r) => r.subscriberId === device.id);
    expect(alerts.map((a) => (a.payload as { updateId: string }).updateId)).toEqual(['alert']);
  });
});
