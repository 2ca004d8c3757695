/**
 * Scheduled posts through the real API, BullMQ and Socket.IO: nothing public before the time,
 * published once at it, and editors list, edit, reschedule and cancel them until then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryEvent, SubscribeAck } from '../../src/domain/events.ts';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { openSse, type SseConnection } from '../helpers/sse-client.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An ISO time `ms` from now, written with a +01:00 offset as an editor in Paris would send it. */
function inParis(ms: number): string {
  const at = new Date(Date.now() + ms + 3600_000).toISOString();
  return `${at.slice(0, 23)}+01:00`;
}

async function newStory(title = 'Scheduled story'): Promise<{ id: string; slug: string; epoch: string }> {
  const res = await stack.request('POST', '/api/stories', { body: { title } });
  expect(res.status).toBe(201);
  return res.body;
}

function schedule(storyId: string, body: Record<string, unknown>) {
  return stack.request('POST', `/api/stories/${storyId}/updates`, { body });
}

async function scheduledList(storyId: string) {
  const res = await stack.request('GET', `/api/stories/${storyId}/updates?status=scheduled`);
  expect(res.status).toBe(200);
  return res.body.updates as { id: string; body: string; publishAt: string; status: string; failure?: object }[];
}

/** A Socket.IO reader that notes when each event arrived. */
async function socketReader(storyId: string) {
  const socket = stack.reader();
  const arrivals: { event: StoryEvent; at: number }[] = [];
  socket.on('story-event', (event) => arrivals.push({ event, at: Date.now() }));
  const ack = await new Promise<SubscribeAck>((resolve) => socket.emit('subscribe', { storyId } as never, resolve));
  expect(ack.ok).toBe(true);
  return arrivals;
}

/** Everything a reader can see of the story, as text, for "nothing of it yet". */
async function publicReads(story: { id: string; slug: string }): Promise<string> {
  const paths = [
    `/stories/${story.slug}`,
    `/api/stories/${story.id}/updates`,
    `/api/stories/${story.id}/events`,
    `/stories/${story.slug}/feed.xml`,
  ];
  const bodies = await Promise.all(
    paths.map(async (path) => JSON.stringify((await stack.request('GET', path, { token: null })).body)),
  );
  return bodies.join('\n');
}

describe('a scheduled post', () => {
  let sse: SseConnection | undefined;
  afterAll(() => sse?.close());

  it('is in no public read before its time, and reaches readers within a second after it', async () => {
    const story = await newStory();
    const arrivals = await socketReader(story.id);
    sse = await openSse(`${stack.urls[0]}/api/stories/${story.id}/events`);
    const publishAt = inParis(6_000);
    const res = await schedule(story.id, {
      id: 'at-six',
      title: 'Polls open',
      body: 'Scheduled words CANARY-6',
      pinned: true,
      keyEvent: true,
      publishAt,
    });
    expect(res.status).toBe(202);
    const due = Date.parse(publishAt);
    expect(res.body).toMatchObject({ id: 'at-six', status: 'scheduled', publishAt: new Date(due).toISOString() });

    await sleep(Math.max(0, due - Date.now() - 700));
    expect(await publicReads(story)).not.toContain('CANARY-6');
    expect(arrivals).toEqual([]);
    expect(sse.frames.filter((f) => f.data.includes('CANARY'))).toEqual([]);
    expect(Date.now()).toBeLessThan(due);

    const [arrival] = await eventually(() => (arrivals.length > 0 ? arrivals : null), 'the scheduled event');
    const lateMs = arrival!.at - due;
    console.log(`scheduled post: Socket.IO event ${lateMs} ms after its time`);
    expect(arrival!.at).toBeGreaterThanOrEqual(due);
    // The target is < 1 s (see the schedule benchmark); the bound leaves room for a loaded CI machine.
    expect(lateMs).toBeLessThan(3_000);
    expect(arrival!.event).toMatchObject({
      type: 'update.created',
      update: { id: 'at-six', pinned: true, keyEvent: true },
    });
    expect(arrival!.event.update!.createdAt).toBe(new Date(due).toISOString());
    await eventually(() => sse!.frames.some((f) => f.data.includes('CANARY-6')), 'the SSE frame');
    expect(await publicReads(story)).toContain('CANARY-6');
    expect(await scheduledList(story.id)).toEqual([]);
    const audit = await stack.request('GET', `/api/stories/${story.id}/audit`);
    const actions = (audit.body.entries as { action: string; updateId?: string }[])
      .filter((e) => e.updateId === 'at-six')
      .map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['update.scheduled', 'update.schedule-published', 'update.created']),
    );
  });
});

describe('editors manage scheduled posts', () => {
  it('lists them with a token only, and the public list stays as it was', async () => {
    const story = await newStory();
    await schedule(story.id, { id: 'later', body: 'Later', publishAt: inParis(120_000) });
    await schedule(story.id, { id: 'sooner', body: 'Sooner', publishAt: inParis(60_000) });
    expect((await scheduledList(story.id)).map((u) => u.id)).toEqual(['sooner', 'later']);
    const anonymous = await stack.request('GET', `/api/stories/${story.id}/updates?status=scheduled`, { token: null });
    expect(anonymous.status).toBe(401);
    const pub = await stack.request('GET', `/api/stories/${story.id}/updates`, { token: null });
    expect(pub.body).toMatchObject({ updates: [], lastSeq: 0 });
    const retry = await schedule(story.id, { id: 'later', body: 'Later', publishAt: inParis(120_000) });
    expect(retry.body.status).toBe('scheduled');
    expect(await scheduledList(story.id)).toHaveLength(2);
  });

  it('edits, reschedules and cancels; the edit is what gets published', async () => {
    const story = await newStory();
    await schedule(story.id, { id: 'a', body: 'First words', publishAt: inParis(120_000) });
    await schedule(story.id, { id: 'b', body: 'Never', publishAt: inParis(120_000) });
    const edited = await stack.request('PATCH', `/api/stories/${story.id}/updates/a`, {
      body: { body: 'Edited words', keyEvent: true },
    });
    expect(edited).toMatchObject({ status: 202, body: { status: 'scheduled' } });
    const cancelled = await stack.request('DELETE', `/api/stories/${story.id}/updates/b`);
    expect(cancelled).toMatchObject({ status: 202, body: { status: 'cancelled' } });
    expect((await stack.request('DELETE', `/api/stories/${story.id}/updates/b`)).status).toBe(404);
    const soon = inParis(5_500);
    const moved = await stack.request('PATCH', `/api/stories/${story.id}/updates/a`, { body: { publishAt: soon } });
    expect(moved.body).toMatchObject({ status: 'scheduled', publishAt: new Date(Date.parse(soon)).toISOString() });
    expect((await scheduledList(story.id)).map((u) => [u.id, u.body])).toEqual([['a', 'Edited words']]);

    const published = await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}/updates`)).body.updates[0],
      'the rescheduled update',
    );
    expect(published).toMatchObject({ id: 'a', body: 'Edited words', keyEvent: true });
    await sleep(500);
    const events = (await stack.request('GET', `/api/stories/${story.id}/events`)).body.events;
    expect(events.map((e: StoryEvent) => [e.type, e.update?.id])).toEqual([['update.created', 'a']]);
    const audit = (await stack.request('GET', `/api/stories/${story.id}/audit`)).body.entries as { action: string }[];
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['update.schedule-edited', 'update.rescheduled', 'update.schedule-cancelled']),
    );
  });

  it('keeps its byline: the authors named when scheduling, or changed before the time', async () => {
    const editors = createEditorStore(stack.redis, createKeys(stack.config.keyPrefix));
    await editors.add('sched-anna', 'editor', 'test', { displayName: 'Anna K' });
    await editors.add('sched-ben', 'editor', 'test', { displayName: 'Ben O' });
    const story = await newStory('Scheduled bylines');
    const unknown = await schedule(story.id, { id: 'x', body: 'x', authors: ['nobody'], publishAt: inParis(60_000) });
    expect(unknown.status).toBe(400);
    expect(await scheduledList(story.id)).toEqual([]);
    await schedule(story.id, { id: 'by', body: 'Signed', authors: ['sched-anna'], publishAt: inParis(6_000) });
    const changed = await stack.request('PATCH', `/api/stories/${story.id}/updates/by`, {
      body: { authors: ['sched-anna', 'sched-ben'] },
    });
    expect(changed.status).toBe(202);
    const published = await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}/updates`)).body.updates[0],
      'the scheduled update',
    );
    expect(published.authors.map((a: { displayName: string }) => a.displayName)).toEqual(['Anna K', 'Ben O']);
  });

  it('refuses to post now an id that is scheduled (409 UPDATE_SCHEDULED), publishing nothing early', async () => {
    const story = await newStory('Scheduled id reused');
    await schedule(story.id, { id: 'later', body: 'At its time', publishAt: inParis(60_000) });
    const now = await schedule(story.id, { id: 'later', body: 'Right now' });
    expect(now.status).toBe(409);
    expect(now.body.error.code).toBe('UPDATE_SCHEDULED');
    expect((await scheduledList(story.id)).map((u) => [u.id, u.body])).toEqual([['later', 'At its time']]);
    expect((await stack.request('GET', `/api/stories/${story.id}/events`)).body.events).toEqual([]);
  });

  it('refuses a time too soon, too far or without an offset, and changes nothing', async () => {
    const story = await newStory();
    const cases = [inParis(1_000), inParis(31 * 24 * 3600_000), '2026-12-06T14:00:00', 'tomorrow'];
    for (const publishAt of cases) {
      const res = await schedule(story.id, { id: 'bad', body: 'Bad', publishAt });
      expect(res.status, publishAt).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await schedule(story.id, { body: 'x', publishAt: inParis(1_000) })).body.error.message).toMatch(
      /5 seconds and 30 days/,
    );
    await schedule(story.id, { id: 'ok', body: 'Fine', publishAt: inParis(60_000) });
    const tooSoon = await stack.request('PATCH', `/api/stories/${story.id}/updates/ok`, {
      body: { publishAt: inParis(1_000) },
    });
    expect(tooSoon.status).toBe(400);
    expect((await scheduledList(story.id)).map((u) => u.id)).toEqual(['ok']);
    expect((await stack.request('GET', `/api/stories/${story.id}/events`)).body.events).toEqual([]);
  });

  it('keeps a post whose story ended before its time as failed, with the reason', async () => {
    const story = await newStory();
    await schedule(story.id, { id: 'too-late', body: 'After the end', publishAt: inParis(5_500) });
    await stack.request('PATCH', `/api/stories/${story.id}`, { body: { status: 'ended' } });
    const [failed] = await eventually(async () => {
      const failed = (await scheduledList(story.id)).filter((u) => u.status === 'failed');
      return failed.length > 0 ? failed : null;
    }, 'the failed entry');
    expect(failed).toMatchObject({ id: 'too-late', failure: { code: 'STORY_ENDED' } });
    const updates = (await stack.request('GET', `/api/stories/${story.id}/updates`)).body.updates;
    expect(updates).toEqual([]);
  });
});
