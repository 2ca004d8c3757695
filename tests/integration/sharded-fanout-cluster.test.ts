/**
 * The sharded fan-out on a real Redis Cluster (3 primaries, 1 replica each): an API node receives
 * a story's messages only while it has readers of it, from the shard that holds the story; and
 * a reader stays live when the story's slot moves to another primary (Redis drops the slot's
 * subscriptions; the node resubscribes on the new owner and its readers catch up from the log).
 */
import keySlot from 'cluster-key-slot';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisCluster, type RedisCluster } from '../../scripts/lib/redis-cluster.ts';
import { storyChannel } from '../../src/realtime/story-channel.ts';
import { createKeys } from '../../src/store/keys.ts';
import { createStoryStore } from '../../src/store/story-store.ts';
import { checkOnlyReadersNodesReceive, shardSubscribers } from '../helpers/sharded-fanout.ts';
import { feedReader, seqRange } from '../helpers/readers.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { testConfig } from '../helpers/test-config.ts';

let cluster: RedisCluster;
let stack: Stack;
beforeAll(async () => {
  cluster = await startRedisCluster({ primaries: 3, replicasPerPrimary: 1 });
  stack = await startStack({ apis: 2, workers: 1, config: testConfig({ REDIS_URL: '', ...cluster.env }) });
}, 120_000);

it("a reader catches up from the log when its node's subscriber connection to the story's shard is cut", async () => {
  const storyId = await newStory();
  const [a] = stack.urls as [string];
  const slot = keySlot(storyChannel(createKeys(stack.config.keyPrefix).socketIo, storyId));
  const reader = feedReader(stack.reader(a), a, storyId, 0);
  await eventually(() => reader.feed.isLive, 'reader live');
  // An event whose message this node never got, as when it was published while the node's
  // subscription was down (pub/sub keeps nothing): in the log, not delivered.
  const store = createStoryStore(stack.redis, createKeys(stack.config.keyPrefix), {
    maxPinned: 3,
    logMaxEvents: 1_000,
  });
  const at = new Date().toISOString();
  await store.applyUpdateOp(storyId, {
    ...{ opId: 'missed', kind: 'create', updateId: 'missed', at, author: 'tester' },
    fields: { body: 'Missed', html: '<p>Missed</p>' },
  });
  expect(reader.events).toEqual([]);
  const shard = new Redis((await cluster.ownerOf(slot)).server.port, '127.0.0.1');
  try {
    await shard.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
  } finally {
    shard.disconnect();
  }
  await eventually(() => reader.events.length === 1, 'the reader to catch up once the subscription is back', 20_000);
  expect(reader.events[0]?.update?.id).toBe('missed');
});
afterAll(async () => {
  await stack?.close();
  await cluster?.remove();
});

/**
 * A story written straight into its keys: the API's story creation also lists the story under
 * global keys, which is another helper's part of the cluster work.
 */
async function newStory(): Promise<string> {
  const id = `c${randomBytes(5).toString('hex')}`;
  const at = new Date().toISOString();
  const keys = createKeys(stack.config.keyPrefix);
  await stack.redis.hset(keys.story(id).story, {
    ...{ id, slug: id, title: 'Cluster story', summary: '', status: 'live' },
    ...{ createdAt: at, updatedAt: at, epoch: `e${id}`, lastSeq: 0 },
  });
  await stack.redis.set(keys.slug(id), id);
  return id;
}

it('a node without a reader of a story receives none of its messages; one with a reader receives them all', async () => {
  await checkOnlyReadersNodesReceive(stack, await newStory());
});

it("a reader misses nothing when its story's slot moves to another primary", async () => {
  const storyId = await newStory();
  const [a] = stack.urls as [string];
  const channel = storyChannel(createKeys(stack.config.keyPrefix).socketIo, storyId);
  const slot = keySlot(channel);
  const reader = feedReader(stack.reader(a), a, storyId, 0);
  await eventually(() => reader.feed.isLive, 'reader live');
  const post = async (id: string) =>
    expect((await stack.request('POST', `/api/stories/${storyId}/updates`, { body: { id, body: id } })).status).toBe(
      202,
    );
  for (let i = 1; i <= 3; i++) await post(`before${i}`);
  await eventually(() => reader.events.length === 3, 'the first 3 events');

  const owner = await cluster.ownerOf(slot);
  // The three primaries own the slots in thirds.
  const primaries = await Promise.all([0, 8_000, 16_383].map((s) => cluster.ownerOf(s)));
  const target = primaries.find((node) => node.id !== owner.id)!;
  // Redis drops the slot's subscriptions when the slot changes hands; the node subscribes again on
  // the new owner, and an event published in between reaches the reader from the log.
  await cluster.moveSlot(slot, target);
  await post('right-after');
  await eventually(() => reader.events.length >= 4, 'the event published right after the move', 20_000);
  expect(reader.events.map((e) => e.seq)).toEqual(seqRange(1, 4));
  expect((await cluster.ownerOf(slot)).id).toBe(target.id);
  await eventually(async () => (await shardSubscribers(stack.redis, channel)) === 1, 'A subscribed on the new owner');
}, 120_000);
