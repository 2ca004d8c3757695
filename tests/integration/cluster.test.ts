/**
 * The whole pipeline on a real Redis Cluster (3 primaries, 1 replica each) with two API nodes and
 * a worker: stories spread over the shards, posts, edits, pins, deletes, a story change, a
 * scheduled post, readers on each API node, the read APIs and the story page, and a push alert.
 */
import calculateSlot from 'cluster-key-slot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisCluster, type RedisCluster } from '../../scripts/lib/redis-cluster.ts';
import type { AlertPayload } from '../../src/shared/alert-payload.ts';
import { createKeys } from '../../src/store/keys.ts';
import { startPushService, type PushService } from '../helpers/push-service.ts';
import { feedReader, seqRange, type FeedReader } from '../helpers/readers.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { testConfig } from '../helpers/test-config.ts';

let cluster: RedisCluster;
let push: PushService;
let stack: Stack;

beforeAll(async () => {
  push = await startPushService();
  cluster = await startRedisCluster({ primaries: 3, replicasPerPrimary: 1 });
  const config = testConfig({
    REDIS_URL: '',
    ...cluster.env,
    PUSH_ENDPOINT_ALLOWLIST: push.origin,
    PUSH_RETRY_BASE_MS: '50',
    PUBLIC_URL: 'https://news.example',
    PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000',
  });
  stack = await startStack({ config, apis: 2 });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await cluster?.remove();
  await push?.close();
});

interface CreatedStory {
  id: string;
  slug: string;
}

async function newStory(title: string): Promise<CreatedStory> {
  const res = await stack.request('POST', '/api/stories', { body: { title } });
  expect(res.status).toBe(201);
  return res.body as CreatedStory;
}

/** The port of the primary that holds a story's keys. */
async function shardOf(storyId: string): Promise<number> {
  const slot = calculateSlot(createKeys(stack.config.keyPrefix).story(storyId).story);
  return (await cluster.ownerOf(slot)).server.port;
}

async function accepted(method: string, path: string, body?: unknown): Promise<void> {
  const res = await stack.request(method, path, body === undefined ? {} : { body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(202);
}

describe('Stop Press on a Redis Cluster of 3 primaries with 1 replica each', () => {
  it('creates stories on every shard, and lists them all', async () => {
    const shards = new Map<number, CreatedStory>();
    // Story ids are random: create stories until each primary holds one (bounded, never timed).
    for (let i = 0; i < 60 && shards.size < 3; i++) {
      const story = await newStory(`Spread ${i}`);
      shards.set(await shardOf(story.id), story);
    }
    expect(shards.size).toBe(3);
    const listed = (await stack.request('GET', '/api/stories?limit=100')).body.stories as CreatedStory[];
    for (const story of shards.values()) expect(listed.map((s) => s.id)).toContain(story.id);
  });

  it('runs posts, edits, pins, deletes, a story change and a scheduled post to readers on both API nodes', async () => {
    const story = await newStory('Cluster night');
    const readers: FeedReader[] = stack.urls.map((url) => feedReader(stack.reader(url), url, story.id, 0));
    await eventually(() => readers.every((r) => r.feed.isLive), 'readers live');
    const base = `/api/stories/${story.id}`;
    for (let i = 1; i <= 5; i++) await accepted('POST', `${base}/updates`, { id: `u${i}`, body: `Update ${i}` });
    await accepted('PATCH', `${base}/updates/u2`, { body: 'Update 2, corrected' });
    await accepted('PATCH', `${base}/updates/u3`, { pinned: true });
    await accepted('DELETE', `${base}/updates/u4`);
    await accepted('PATCH', base, { title: 'Cluster night, updated' });
    const publishAt = new Date(Date.now() + 5_500).toISOString();
    await accepted('POST', `${base}/updates`, { id: 'later', body: 'Scheduled', publishAt });
    // 5 creates, an edit, a pin, a delete, the story change and the scheduled post: 10 events.
    await eventually(() => readers.every((r) => r.feed.position === 10), 'every reader at seq 10');
    for (const reader of readers) {
      expect(reader.events.map((e) => e.seq)).toEqual(seqRange(1, 10));
      expect(reader.events.map((e) => e.type)).toEqual([
        ...Array<string>(5).fill('update.created'),
        'update.edited',
        'update.pinned',
        'update.deleted',
        'story.updated',
        'update.created',
      ]);
    }

    const updates = (await stack.request('GET', `${base}/updates`, { base: stack.urls[1] })).body;
    expect(updates.updates.map((u: { id: string }) => u.id)).toEqual(['later', 'u5', 'u3', 'u2', 'u1']);
    expect(updates.lastSeq).toBe(10);
    const page = await fetch(`${stack.urls[1]}/stories/${story.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Cluster night, updated');
    expect(html).toContain('Update 2, corrected');
    const events = (await stack.request('GET', `${base}/events?after=8`)).body;
    expect(events.events.map((e: { seq: number }) => e.seq)).toEqual([9, 10]);
  });

  it('delivers a push alert through the loopback push service', async () => {
    const story = await newStory('Cluster alert');
    const subscriber = push.newSubscriber('cluster-reader');
    const res = await stack.request('POST', '/api/push/subscriptions', {
      body: { subscription: subscriber.subscription, topics: [`story:${story.id}`, 'breaking'] },
      token: null,
    });
    expect(res.status).toBe(201);
    await accepted('POST', `/api/stories/${story.id}/updates`, { id: 'alert-1', body: 'Alert', notify: true });
    await eventually(() => push.received.some((r) => r.subscriberId === subscriber.id), 'the alert');
    const received = push.received.filter((r) => r.subscriberId === subscriber.id);
    expect(received).toHaveLength(1);
    expect((received[0]!.payload as AlertPayload).updateId).toBe('alert-1');
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}/updates/alert-1/delivery`)).body.sent === 1,
      'the delivery counters',
    );
    const alerts = (await stack.request('GET', `/api/stories/${story.id}/alerts`)).body;
    expect(JSON.stringify(alerts)).toContain('alert-1');
  });
});
