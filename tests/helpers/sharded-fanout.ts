/**
 * The sharded fan-out, checked from outside on any topology: which API nodes subscribe to a
 * story's channel (Redis's own count), and how many story events each node received (its
 * /metrics). Shared by the one-server and the cluster tests.
 */
import { Cluster } from 'ioredis';
import { expect } from 'vitest';
import type { RedisClient } from '../../src/redis/connections.ts';
import { storyChannel } from '../../src/realtime/story-channel.ts';
import { createKeys } from '../../src/store/keys.ts';
import { feedReader } from './readers.ts';
import { eventually, type Stack } from './stack.ts';

/** PUBSUB SHARDNUMSUB of the channel, summed over the primaries on a cluster (only its shard's counts). */
export async function shardSubscribers(redis: RedisClient, channel: string): Promise<number> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const counts = await Promise.all(
    nodes.map(async (node) => Number(((await node.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number])[1])),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

/** The story events an API node received (stoppress_events_delivered_total, all types). */
export async function eventsReceived(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const lines = text.split('\n').filter((line) => line.startsWith('stoppress_events_delivered_total{'));
  return lines.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function post(stack: Stack, storyId: string, id: string): Promise<void> {
  const res = await stack.request('POST', `/api/stories/${storyId}/updates`, { body: { id, body: `Update ${id}` } });
  expect(res.status).toBe(202);
}

/**
 * Node B has no reader of the story: Redis counts one subscriber of its channel (node A) and B
 * receives none of its events, while A's reader gets them all. Once a reader joins on B, B
 * subscribes and receives them too; once A's reader leaves, A unsubscribes.
 */
export async function checkOnlyReadersNodesReceive(stack: Stack, storyId: string): Promise<void> {
  const [a, b] = stack.urls as [string, string];
  const channel = storyChannel(createKeys(stack.config.keyPrefix).socketIo, storyId);
  const subscribers = () => shardSubscribers(stack.redis, channel);
  expect(await subscribers()).toBe(0);

  const socketA = stack.reader(a);
  const readerA = feedReader(socketA, a, storyId, 0);
  await eventually(() => readerA.feed.isLive, 'the reader on A live');
  expect(await subscribers()).toBe(1);
  for (let i = 1; i <= 5; i++) await post(stack, storyId, `a${i}`);
  await eventually(() => readerA.events.length === 5, 'the reader on A to get 5 events');
  await eventually(async () => (await eventsReceived(a)) === 5, 'A to count 5 events');
  expect(await eventsReceived(b)).toBe(0);

  const readerB = feedReader(stack.reader(b), b, storyId, 5);
  await eventually(() => readerB.feed.isLive, 'the reader on B live');
  expect(await subscribers()).toBe(2);
  await post(stack, storyId, 'b1');
  await eventually(() => readerB.events.some((e) => e.seq === 6), 'the reader on B to get seq 6');
  await eventually(() => readerA.events.length === 6, 'the reader on A to get seq 6');
  expect(await eventsReceived(b)).toBe(1);

  socketA.disconnect();
  await eventually(async () => (await subscribers()) === 1, 'A to unsubscribe once its reader left');
}
