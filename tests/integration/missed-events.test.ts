/**
 * The replay read shared by resubscribing readers: identical requests made together cost one
 * log read, and a request made while a read is already in Redis waits for a fresh read, so an
 * event written in between is never lost to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissedEventsReader } from '../../src/realtime/missed-events.ts';
import { createKeys } from '../../src/store/keys.ts';
import { createStoryStore, type StoryStore } from '../../src/store/story-store.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let store: StoryStore;
let storyId: string;

beforeAll(async () => {
  stack = await startStack();
  store = createStoryStore(stack.redis, createKeys(stack.config.keyPrefix), {
    maxPinned: stack.config.maxPinned,
    logMaxEvents: stack.config.logMaxEvents,
  });
  const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Replay reads' } });
  storyId = story.id;
  for (let i = 1; i <= 5; i++) await post(`u${i}`);
  await eventually(async () => (await store.getStoryById(storyId))?.lastSeq === 5, 'five events in the log');
});

afterAll(() => stack.close());

async function post(id: string): Promise<void> {
  const res = await stack.request('POST', `/api/stories/${storyId}/updates`, { body: { id, body: id } });
  expect(res.status).toBe(202);
}

/** The real store, with each log read counted and held until the test lets it go. */
function gatedStore() {
  const gate = { reads: 0, open: Promise.resolve(), release: () => undefined as void };
  const counted = Object.create(store) as StoryStore;
  counted.readEvents = async (...args) => {
    gate.reads++;
    await gate.open;
    return store.readEvents(...args);
  };
  const close = () => {
    gate.open = new Promise<void>((resolve) => (gate.release = resolve));
  };
  return { counted, gate, close };
}

const seqs = (read: { events: readonly { seq: number }[] }) => read.events.map((e) => e.seq);

describe('MissedEventsReader', () => {
  it('answers 200 identical requests made together with one log read', async () => {
    const { counted, gate } = gatedStore();
    const reader = new MissedEventsReader(counted, 1_000);
    const reads = await Promise.all(Array.from({ length: 200 }, () => reader.read(storyId, 2, undefined)));
    expect(gate.reads).toBe(1);
    for (const read of reads) expect(seqs(read)).toEqual([3, 4, 5]);
    expect(reader.busyKeys).toBe(0);
  });

  it('does not attach a request to a read already sent, so an event written in between reaches it', async () => {
    const { counted, gate, close } = gatedStore();
    close();
    const reader = new MissedEventsReader(counted, 1_000);
    const first = reader.read(storyId, 4, undefined);
    await eventually(() => gate.reads === 1, 'the first read sent');
    // The event is written while the first read is on its way; the later requests must see it.
    await post('u6');
    await eventually(async () => (await store.getStoryById(storyId))?.lastSeq === 6, 'the sixth event in the log');
    const later = [reader.read(storyId, 4, undefined), reader.read(storyId, 4, undefined)];
    expect(gate.reads).toBe(1);
    gate.release();
    gate.open = Promise.resolve();
    const [a, b] = await Promise.all(later);
    expect(gate.reads).toBe(2);
    expect(seqs(a!)).toEqual([5, 6]);
    expect(seqs(b!)).toEqual([5, 6]);
    expect(seqs(await first).at(0)).toBe(5);
  });

  it('keys requests by position and epoch, and shares a refusal', async () => {
    const { counted, gate } = gatedStore();
    const reader = new MissedEventsReader(counted, 1_000);
    const [fromTwo, fromFour, otherEpoch, againOtherEpoch] = await Promise.allSettled([
      reader.read(storyId, 2, undefined),
      reader.read(storyId, 4, undefined),
      reader.read(storyId, 2, 'not-the-epoch'),
      reader.read(storyId, 2, 'not-the-epoch'),
    ]);
    expect(gate.reads).toBe(3);
    expect(fromTwo.status === 'fulfilled' && seqs(fromTwo.value)).toEqual([3, 4, 5, 6]);
    expect(fromFour.status === 'fulfilled' && seqs(fromFour.value)).toEqual([5, 6]);
    for (const refused of [otherEpoch, againOtherEpoch]) {
      expect(refused.status === 'rejected' && (refused.reason as { code: string }).code).toBe('RELOAD_REQUIRED');
    }
  });
});
