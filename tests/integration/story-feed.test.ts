/**
 * The reader's StoryFeed against a real API node: it recovers by itself from a gap it could not
 * fetch, and it lets a subscribe's replay fill a gap instead of fetching it over HTTP. Events
 * "from the wire" are handed to the feed's own listener, which is the one deterministic way to
 * make one arrive at a chosen moment.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReaderSocket } from '../../client/lib/story-feed.ts';
import type { StoryEvent } from '../../src/domain/events.ts';
import { feedReader, seqRange } from '../helpers/readers.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let countingApi: Server;
let countingBase: string;
let gapFetches = 0;
/** When set, the gap server answers as if the story's log had been replaced under this epoch. */
let replacedEpoch: string | undefined;

beforeAll(async () => {
  stack = await startStack();
  // Stands where the feed fetches gaps from: counts the attempts and serves none of them.
  countingApi = createServer((_req, res) => {
    gapFetches++;
    if (replacedEpoch === undefined) return void res.writeHead(503).end();
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ events: [], lastSeq: 0, epoch: replacedEpoch }));
  });
  await new Promise<void>((resolve) => countingApi.listen(0, '127.0.0.1', resolve));
  countingBase = `http://127.0.0.1:${(countingApi.address() as AddressInfo).port}`;
});

afterAll(async () => {
  countingApi.close();
  await stack.close();
});

async function storyWith(count: number): Promise<string> {
  const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Feed story' } });
  await postUpdates(story.id, 1, count);
  return story.id;
}

async function postUpdates(storyId: string, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i++) {
    expect(
      (await stack.request('POST', `/api/stories/${storyId}/updates`, { body: { id: `u${i}`, body: `Update ${i}` } }))
        .status,
    ).toBe(202);
  }
  await eventually(
    async () => (await stack.request('GET', `/api/stories/${storyId}`)).body.lastSeq === to,
    `seq ${to} in the log`,
  );
}

async function logEvent(storyId: string, seq: number): Promise<StoryEvent> {
  const { body } = await stack.request('GET', `/api/stories/${storyId}/events?after=${seq - 1}&limit=1`);
  return body.events[0];
}

/** As if the server had sent the event on this socket. */
function arrive(socket: ReaderSocket, event: StoryEvent): void {
  for (const listener of socket.listeners('story-event')) listener(event);
}

/** A live reader at seq 2 that stops hearing the story (as if its node missed a publish), while seq 3 and 4 go out. */
async function readerThatMissedTwo() {
  const storyId = await storyWith(2);
  const socket = stack.reader();
  const reader = feedReader(socket, countingBase, storyId, 0);
  await eventually(() => reader.feed.isLive && reader.feed.position === 2, 'live at seq 2');
  await new Promise((resolve) => socket.emit('unsubscribe', { storyId }, resolve));
  await postUpdates(storyId, 3, 4);
  return { storyId, socket, reader };
}

describe('StoryFeed', () => {
  it('waits for the subscribe replay instead of fetching a gap that the replay is about to fill', async () => {
    const storyId = await storyWith(3);
    const third = await logEvent(storyId, 3);
    const socket = stack.reader();
    await eventually(() => socket.connected, 'socket connected');
    const before = gapFetches;
    const reader = feedReader(socket, countingBase, storyId, 0);
    // A live event racing the replay: it is ahead of the position while the subscribe is pending.
    arrive(socket, third);
    await eventually(() => reader.feed.isLive && reader.feed.position === 3, 'live at seq 3');
    expect(reader.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(gapFetches).toBe(before);
  });

  it('resubscribes to fill a gap it could not fetch, instead of waiting for an event that may never come', async () => {
    const { storyId, socket, reader } = await readerThatMissedTwo();
    const before = gapFetches;
    arrive(socket, await logEvent(storyId, 4));
    await eventually(() => reader.feed.position === 4 && reader.feed.isLive, 'caught up at seq 4 and live');
    expect(gapFetches).toBeGreaterThan(before);
    expect(reader.events.map((e) => e.seq)).toEqual(seqRange(1, 4));
    expect(reader.statuses.slice(-2)).toEqual(['reconnecting', 'live']);
    // Subscribed again for real: the next update arrives live.
    await postUpdates(storyId, 5, 5);
    await eventually(() => reader.feed.position === 5, 'seq 5 live');
  });

  it('asks for one reload when a gap fill finds the log replaced, and does not retry the old position', async () => {
    const { storyId, socket, reader } = await readerThatMissedTwo();
    replacedEpoch = 'replaced-epoch';
    try {
      arrive(socket, await logEvent(storyId, 4));
      await eventually(() => reader.reloads.length > 0, 'a reload signal');
      // Longer than the first retry's backoff: a retry would have turned the status back to live.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
    } finally {
      replacedEpoch = undefined;
    }
    expect(reader.reloads).toEqual([{ lastSeq: 0, epoch: 'replaced-epoch' }]);
    expect(reader.statuses.at(-1)).toBe('reload');
    expect(reader.feed.isLive).toBe(false);
  });
});
