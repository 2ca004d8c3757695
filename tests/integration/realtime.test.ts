import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryEvent, SubscribeAck } from '../../src/domain/events.ts';
import type { Update } from '../../src/domain/update.ts';
import { feedReader, seqRange } from '../helpers/readers.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
beforeAll(async () => {
  // Two API nodes (two Socket.IO servers joined by the Redis adapter) and two workers.
  stack = await startStack({ apis: 2, workers: 2 });
});
afterAll(async () => {
  await stack.close();
});

async function newStory(): Promise<{ id: string; epoch: string }> {
  return (await stack.request('POST', '/api/stories', { body: { title: 'Realtime story' } })).body;
}

function subscribe(socket: ReturnType<Stack['reader']>, message: object): Promise<SubscribeAck> {
  return new Promise((resolve) => socket.emit('subscribe', message as never, resolve));
}

async function allUpdates(storyId: string): Promise<Update[]> {
  const all: Update[] = [];
  let before: string | null = null;
  do {
    const query: string = before ? `&before=${before}` : '';
    const page = await stack.request('GET', `/api/stories/${storyId}/updates?limit=100${query}`);
    all.push(...page.body.updates);
    before = page.body.next;
  } while (before);
  return all;
}

function byId(updates: Iterable<Update>): Record<string, Update> {
  return Object.fromEntries([...updates].map((u) => [u.id, u]));
}

describe('fan-out across API nodes', () => {
  it('readers on both nodes see every event in order, once, and end with the state of GET /updates', async () => {
    const story = await newStory();
    const readers = [0, 0, 0, 1, 1, 1].map((node) =>
      feedReader(stack.reader(stack.urls[node]), stack.urls[node]!, story.id, 0),
    );
    await eventually(() => readers.every((r) => r.feed.isLive), 'readers live');

    const posts = Array.from({ length: 120 }, (_, i) =>
      stack.request('POST', `/api/stories/${story.id}/updates`, {
        body: { id: `u${i}`, body: `Update **${i}**` },
        base: stack.urls[i % 2],
      }),
    );
    expect((await Promise.all(posts)).every((r) => r.status === 202)).toBe(true);
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 120,
      'creates applied',
    );
    const edits = [
      stack.request('PATCH', `/api/stories/${story.id}/updates/u3`, { body: { body: 'Corrected' } }),
      stack.request('PATCH', `/api/stories/${story.id}/updates/u4`, { body: { pinned: true } }),
      stack.request('DELETE', `/api/stories/${story.id}/updates/u5`),
      stack.request('PATCH', `/api/stories/${story.id}`, { body: { title: 'Renamed' } }),
    ];
    expect((await Promise.all(edits)).map((r) => r.status)).toEqual([202, 202, 202, 202]);

    await eventually(() => readers.every((r) => r.feed.position === 124), 'every reader at seq 124');
    const expected = byId(await allUpdates(story.id));
    expect(Object.keys(expected)).toHaveLength(119);
    for (const reader of readers) {
      expect(reader.events.map((e) => e.seq)).toEqual(seqRange(1, 124));
      expect(byId(reader.state.updates.values())).toEqual(expected);
    }
  });

  it('a plain socket.io-client on the other node receives the worker-published event', async () => {
    const story = await newStory();
    const socket = stack.reader(stack.urls[1]);
    const received: StoryEvent[] = [];
    socket.on('story-event', (event) => received.push(event));
    const ack = await subscribe(socket, { storyId: story.id });
    expect(ack).toEqual({ ok: true, lastSeq: 0, epoch: story.epoch, replayed: 0 });
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'hello', body: 'Hello' },
      base: stack.urls[0],
    });
    await eventually(() => received.length === 1, 'one event');
    expect(received[0]).toMatchObject({
      storyId: story.id,
      seq: 1,
      epoch: story.epoch,
      type: 'update.created',
      update: { id: 'hello', html: '<p>Hello</p>', version: 1 },
    });
    expect(Date.parse(received[0]!.at)).not.toBeNaN();
  });
});

describe('resume', () => {
  it('a reader that disconnects, misses 50 events and subscribes again with after receives exactly those 50', async () => {
    const story = await newStory();
    for (let i = 0; i < 10; i++)
      await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: `a${i}`, body: 'before' } });
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 10,
      'first 10',
    );
    const first = stack.reader();
    const seen: StoryEvent[] = [];
    first.on('story-event', (e) => seen.push(e));
    const ack = await subscribe(first, { storyId: story.id, after: 0 });
    expect(ack).toMatchObject({ ok: true, lastSeq: 10, replayed: 10 });
    first.disconnect();

    for (let i = 0; i < 50; i++)
      await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: `b${i}`, body: 'missed' } });
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 60,
      '50 more',
    );

    const again = stack.reader(stack.urls[1]);
    const replayed: StoryEvent[] = [];
    again.on('story-event', (e) => replayed.push(e));
    const resumed = await subscribe(again, { storyId: story.id, after: seen.at(-1)!.seq, epoch: story.epoch });
    expect(resumed).toMatchObject({ ok: true, lastSeq: 60, replayed: 50 });
    expect(replayed.map((e) => e.seq)).toEqual(seqRange(11, 60));
    expect(replayed.map((e) => e.update!.id)).toEqual(Array.from({ length: 50 }, (_, i) => `b${i}`));
  });

  it('the StoryFeed resubscribes from its position after the connection drops', async () => {
    const story = await newStory();
    const socket = stack.reader();
    const reader = feedReader(socket, stack.urls[0]!, story.id, 0);
    await eventually(() => reader.feed.isLive, 'live');
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'one', body: '1' } });
    await eventually(() => reader.feed.position === 1, 'seq 1');
    socket.io.engine.close();
    for (let i = 0; i < 20; i++)
      await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: `m${i}`, body: 'x' } });
    await eventually(() => reader.feed.position === 21, 'seq 21 after reconnect');
    expect(reader.events.map((e) => e.seq)).toEqual(seqRange(1, 21));
    expect(reader.statuses).toContain('reconnecting');
    expect(reader.statuses.at(-1)).toBe('live');
  });
});

describe('subscribe errors and lost history', () => {
  it.each([
    ['no storyId', {}],
    ['a storyId of the wrong type', { storyId: 42 }],
    ['a negative after', { storyId: 'abc', after: -1 }],
    ['an unknown property', { storyId: 'abc', extra: true }],
    ['a non-object message', 'hello'],
  ])('refuses %s with VALIDATION_FAILED', async (_name, message) => {
    const ack = await subscribe(stack.reader(), message as object);
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.any(String) } });
  });

  it('answers STORY_NOT_FOUND for an unknown story', async () => {
    const ack = await subscribe(stack.reader(), { storyId: 'nope', after: 0 });
    expect(ack).toMatchObject({ ok: false, error: { code: 'STORY_NOT_FOUND' } });
  });

  it('tells a reader ahead of the log, or on another epoch, to reload', async () => {
    const story = await newStory();
    const ahead = await subscribe(stack.reader(), { storyId: story.id, after: 5 });
    expect(ahead).toMatchObject({ ok: false, error: { code: 'RELOAD_REQUIRED', lastSeq: 0, epoch: story.epoch } });
    const otherEpoch = await subscribe(stack.reader(), { storyId: story.id, after: 0, epoch: 'old-epoch' });
    expect(otherEpoch).toMatchObject({ ok: false, error: { code: 'RELOAD_REQUIRED' } });
  });

  it('tells a reader behind a trimmed or lost log to reload, and the StoryFeed reports it', async () => {
    const story = await newStory();
    for (let i = 0; i < 5; i++)
      await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: `t${i}`, body: 'x' } });
    await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 5, 'five');
    const logKey = `${stack.config.keyPrefix}story:{${story.id}}:log`;
    await stack.redis.xtrim(logKey, 'MAXLEN', 2);
    const trimmed = await subscribe(stack.reader(), { storyId: story.id, after: 1 });
    expect(trimmed).toMatchObject({ ok: false, error: { code: 'RELOAD_REQUIRED', lastSeq: 5 } });
    const fine = await subscribe(stack.reader(), { storyId: story.id, after: 3 });
    expect(fine).toMatchObject({ ok: true, replayed: 2 });

    await stack.redis.del(logKey);
    const reader = feedReader(stack.reader(), stack.urls[0]!, story.id, 3, story.epoch);
    await eventually(() => reader.reloads.length === 1, 'reload signal');
    expect(reader.reloads[0]).toEqual({ lastSeq: 5, epoch: story.epoch });
    expect(reader.events).toEqual([]);
  });
});
