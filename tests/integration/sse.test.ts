import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryEvent } from '../../src/domain/events.ts';
import { seqRange } from '../helpers/readers.ts';
import { openSse } from '../helpers/sse-client.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ apis: 2, workers: 2 });
});
afterAll(async () => {
  await stack.close();
});

async function post(storyId: string, id: string): Promise<void> {
  const res = await stack.request('POST', `/api/stories/${storyId}/updates`, { body: { id, body: `Body ${id}` } });
  expect(res.status).toBe(202);
}

describe('Server-Sent Events', () => {
  it('streams the log and live events, in order, and resumes with Last-Event-ID', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'SSE story' } });
    await post(story.id, 'early');
    await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 1, 'first');

    const stream = await openSse(`${stack.urls[1]}/api/stories/${story.slug}/events`);
    expect(stream.status).toBe(200);
    await eventually(() => stream.frames.length === 1, 'replayed event');
    await Promise.all(Array.from({ length: 30 }, (_, i) => post(story.id, `live${i}`)));
    await eventually(() => stream.frames.length === 31, '31 frames');
    const events = stream.frames.map((f) => JSON.parse(f.data) as StoryEvent);
    expect(stream.frames.every((f) => f.event === 'story-event')).toBe(true);
    expect(stream.frames.map((f) => Number(f.id))).toEqual(seqRange(1, 31));
    expect(events.map((e) => e.seq)).toEqual(seqRange(1, 31));
    stream.close();

    for (let i = 0; i < 5; i++) await post(story.id, `missed${i}`);
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 36,
      'missed',
    );
    const resumed = await openSse(`${stack.urls[0]}/api/stories/${story.id}/events`, { 'last-event-id': '31' });
    await eventually(() => resumed.frames.length === 5, 'five missed frames');
    expect(resumed.frames.map((f) => Number(f.id))).toEqual(seqRange(32, 36));
    expect(resumed.frames.map((f) => (JSON.parse(f.data) as StoryEvent).update?.id)).toEqual([
      'missed0',
      'missed1',
      'missed2',
      'missed3',
      'missed4',
    ]);
    resumed.close();
  });

  it('starts from ?after= without Last-Event-ID', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'SSE after' } });
    for (let i = 0; i < 3; i++) await post(story.id, `x${i}`);
    await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 3, 'three');
    const stream = await openSse(`${stack.urls[0]}/api/stories/${story.id}/events?after=2`);
    await eventually(() => stream.frames.length === 1, 'one frame');
    expect(stream.frames[0]!.id).toBe('3');
    stream.close();
  });

  it('sends a reload event and closes when the position is not in the log', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'SSE reload' } });
    const stream = await openSse(`${stack.urls[0]}/api/stories/${story.id}/events`, { 'last-event-id': '9' });
    await stream.ended;
    expect(stream.frames).toEqual([
      { event: 'reload', data: JSON.stringify({ code: 'RELOAD_REQUIRED', lastSeq: 0, epoch: story.epoch }) },
    ]);
  });

  it('answers 404 for an unknown story and 400 for a bad Last-Event-ID', async () => {
    const missing = await stack.request('GET', '/api/stories/none/events', {
      headers: { accept: 'text/event-stream' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('STORY_NOT_FOUND');
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'SSE bad id' } });
    const bad = await stack.request('GET', `/api/stories/${story.id}/events`, {
      headers: { accept: 'text/event-stream', 'last-event-id': 'abc' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /api/stories/:id/events as JSON', () => {
  it('pages the log by after and limit', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Events JSON' } });
    for (let i = 0; i < 4; i++) await post(story.id, `j${i}`);
    await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 4, 'four');
    const page = await stack.request('GET', `/api/stories/${story.id}/events?after=1&limit=2`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ lastSeq: 4, epoch: story.epoch, firstSeq: 1 });
    expect(page.body.events.map((e: StoryEvent) => e.seq)).toEqual([2, 3]);
    const bad = await stack.request('GET', `/api/stories/${story.id}/events?after=-1`);
    expect(bad.status).toBe(400);
  });
});
