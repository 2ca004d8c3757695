/**
 * Socket.IO fans out over sharded pub/sub: an API node receives a story's messages only while it
 * serves the story (its readers, or its cached reads), not every message of the deployment. Two
 * API nodes and a worker on the test run's redis-server.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storyChannel } from '../../src/realtime/story-channel.ts';
import { createKeys } from '../../src/store/keys.ts';
import { checkOnlyReadersNodesReceive, eventsReceived, shardSubscribers } from '../helpers/sharded-fanout.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { feedReader } from '../helpers/readers.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ apis: 2, workers: 1 });
});
afterAll(() => stack.close());

async function newStory(): Promise<{ id: string; slug: string }> {
  const res = await stack.request('POST', '/api/stories', { body: { title: 'Sharded' } });
  expect(res.status).toBe(201);
  return res.body;
}

it('a node without a reader of a story receives none of its messages; one with a reader receives them all', async () => {
  const story = await newStory();
  await checkOnlyReadersNodesReceive(stack, story.id);
});

it("a node's cached page of a story is up to date after another node's update: caching it subscribes the node", async () => {
  const story = await newStory();
  const [a, b] = stack.urls as [string, string];
  const channel = storyChannel(createKeys(stack.config.keyPrefix).socketIo, story.id);
  const page = async () => (await fetch(`${b}/stories/${story.slug}`)).text();
  const updates = async () => (await (await fetch(`${b}/api/stories/${story.id}/updates`)).json()) as object;
  const frontAnswers = async () => {
    const text = await (await fetch(`${b}/metrics`)).text();
    return Number(/^stoppress_cache_front_answers_total (\d+)/m.exec(text)?.[1]);
  };
  // B has no reader of the story; it reads it until its cache front answers the page from memory.
  await eventually(async () => {
    const before = await frontAnswers();
    expect(await page()).not.toContain('First news');
    expect(await updates()).toMatchObject({ updates: [] });
    return (await frontAnswers()) > before;
  }, 'B to answer the page from its cache');
  const receivedBefore = await eventsReceived(b);

  // A reader on A sees the update applied; B must not answer from a page older than it.
  const reader = feedReader(stack.reader(a), a, story.id, 0);
  await eventually(() => reader.feed.isLive, 'reader on A live');
  const post = await stack.request('POST', `/api/stories/${story.id}/updates`, {
    body: { id: 'first', body: 'First news' },
  });
  expect(post.status).toBe(202);
  await eventually(() => reader.events.length === 1, 'the update applied and delivered');
  await eventually(async () => (await eventsReceived(b)) > receivedBefore, 'B to receive the event');
  expect(await page()).toContain('First news');
  expect(await updates()).toMatchObject({ updates: [{ id: 'first' }] });
  // Keeping the story's reads is what subscribed B to the story's channel.
  expect(await shardSubscribers(stack.redis, channel)).toBe(2);
});
