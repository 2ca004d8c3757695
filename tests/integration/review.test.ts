/**
 * Contributors and review: a contributor's post is held (202 `pending`) and in no public read
 * (page, /updates, /events, SSE, Socket.IO, feed) until an editor approves it; then it is
 * published once, with the approver's edits and flags. Rejections carry a note; every step is in
 * the story's audit trail with its actor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryEvent } from '../../src/domain/events.ts';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { feedReader } from '../helpers/readers.ts';
import { openSse } from '../helpers/sse-client.ts';
import { cameraJpeg, uploadPhoto } from '../helpers/photos.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let carla: string;
let dan: string;
let editor: string;

beforeAll(async () => {
  stack = await startStack({ editor: 'ada' });
  const editors = createEditorStore(stack.redis, createKeys(stack.config.keyPrefix));
  carla = (await editors.add('carla', 'contributor', 'test', { displayName: 'Carla Reyes' })).token;
  dan = (await editors.add('dan', 'contributor')).token;
  editor = (await editors.add('eve', 'editor')).token;
});
afterAll(async () => {
  await stack.close();
});

async function newStory(title: string): Promise<{ id: string; slug: string }> {
  const res = await stack.request('POST', '/api/stories', { body: { title } });
  expect(res.status).toBe(201);
  return res.body;
}

const updatesPath = (storyId: string) => `/api/stories/${storyId}/updates`;

async function submit(storyId: string, body: Record<string, unknown>, token = carla) {
  return stack.request('POST', updatesPath(storyId), { body, token });
}

async function queue(storyId: string, token: string | null = editor, status = 'pending') {
  return stack.request('GET', `${updatesPath(storyId)}?status=${status}`, { token });
}

async function publicText(story: { id: string; slug: string }): Promise<string> {
  const reads = await Promise.all([
    stack.request('GET', `/stories/${story.slug}`, { token: null }),
    stack.request('GET', `${updatesPath(story.id)}?limit=100`, { token: null }),
    stack.request('GET', `/api/stories/${story.id}/events?limit=1000`, { token: null }),
    stack.request('GET', `/stories/${story.slug}/feed.xml`, { token: null }),
  ]);
  for (const read of reads) expect(read.status).toBe(200);
  return reads.map((read) => (typeof read.body === 'string' ? read.body : JSON.stringify(read.body))).join('\n');
}

describe('a contributor submission', () => {
  it('is invisible to every reader until approved, then published once with the approver’s edits and flags', async () => {
    const story = await newStory('Review flow');
    const socketReader = feedReader(stack.reader(), stack.urls[0]!, story.id);
    const sse = await openSse(`${stack.urls[0]}/api/stories/${story.id}/events`);
    expect(sse.status).toBe(200);

    const res = await submit(story.id, {
      id: 'sub-1',
      title: 'From the square',
      body: 'Crowds **gather** (secret-words)',
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: 'sub-1', storyId: story.id, status: 'pending', opId: 'submit-sub-1' });
    // The same id again is the same answer, and still one submission.
    expect((await submit(story.id, { id: 'sub-1', body: 'Crowds **gather** (secret-words)' })).body).toEqual(res.body);

    // An editor's post after it: once readers have that one, they would have had the submission too.
    expect(
      (await stack.request('POST', updatesPath(story.id), { body: { id: 'marker', body: 'Marker' } })).status,
    ).toBe(202);
    await eventually(() => socketReader.events.length === 1 && sse.frames.length === 1, 'the marker');
    expect(socketReader.events.map((e) => e.update?.id)).toEqual(['marker']);
    expect(sse.frames.map((f) => (JSON.parse(f.data) as StoryEvent).update?.id)).toEqual(['marker']);
    expect(await publicText(story)).not.toContain('secret-words');
    expect((await stack.request('GET', `${updatesPath(story.id)}/sub-1`, { token: null })).status).toBe(404);

    const listed = await queue(story.id);
    expect(listed.status).toBe(200);
    expect(listed.body.updates).toEqual([]);
    expect(listed.body.submissions).toMatchObject([
      { id: 'sub-1', state: 'pending', submittedBy: 'carla', title: 'From the square' },
    ]);
    expect(listed.body.submissions[0].html).toContain('<strong>gather</strong>');

    const approve = () =>
      stack.request('POST', `${updatesPath(story.id)}/sub-1/approve`, {
        body: { title: 'From the main square', keyEvent: true },
        token: editor,
      });
    const [first, second] = await Promise.all([approve(), approve()]);
    expect(first!.status).toBe(202);
    expect(second!.status).toBe(202);
    expect(first!.body).toMatchObject({ id: 'sub-1', status: 'queued', opId: 'create-sub-1' });
    await eventually(() => socketReader.events.length === 2 && sse.frames.length === 2, 'the approved update');
    const published = socketReader.events[1]!.update!;
    expect(published).toMatchObject({
      id: 'sub-1',
      title: 'From the main square',
      body: 'Crowds **gather** (secret-words)',
      keyEvent: true,
      pinned: false,
      author: 'carla',
      authors: [{ name: 'carla', displayName: 'Carla Reyes' }],
    });
    // A third approval after publication still publishes nothing more.
    expect((await approve()).status).toBe(202);
    expect((await stack.request('POST', updatesPath(story.id), { body: { id: 'marker2', body: 'M2' } })).status).toBe(
      202,
    );
    await eventually(() => socketReader.events.length === 3, 'the second marker');
    expect(socketReader.events.map((e) => e.update?.id)).toEqual(['marker', 'sub-1', 'marker2']);
    expect((await queue(story.id)).body.submissions).toEqual([]);
    sse.close();
  });

  it('publishes with the approver’s pin and alert flags, and without a body as submitted', async () => {
    const story = await newStory('Review flags');
    expect((await submit(story.id, { id: 'sub-f', body: 'Flag me' })).status).toBe(202);
    const approved = await stack.request('POST', `${updatesPath(story.id)}/sub-f/approve`, {
      body: { pinned: true, notify: true, body: 'Flagged by the editor' },
      token: editor,
    });
    expect(approved.status).toBe(202);
    await eventually(async () => (await stack.request('GET', `${updatesPath(story.id)}/sub-f`)).status === 200);
    const one = await stack.request('GET', `${updatesPath(story.id)}/sub-f`);
    expect(one.body).toMatchObject({ pinned: true, body: 'Flagged by the editor', author: 'carla' });

    expect((await submit(story.id, { id: 'sub-g', body: 'As is' })).status).toBe(202);
    const plain = await stack.request('POST', `${updatesPath(story.id)}/sub-g/approve`, { token: editor });
    expect(plain.status).toBe(202);
    await eventually(async () => (await stack.request('GET', `${updatesPath(story.id)}/sub-g`)).status === 200);
  });
});

describe('what a contributor may not do', () => {
  it('answers 403 FORBIDDEN with what the role lacks', async () => {
    const story = await newStory('Contributor limits');
    const refusals: [string, string, Record<string, unknown> | undefined, RegExp][] = [
      ['POST', updatesPath(story.id), { body: 'x', pinned: true }, /cannot pin/],
      ['POST', updatesPath(story.id), { body: 'x', notify: true }, /cannot send alerts/],
      ['POST', updatesPath(story.id), { body: 'x', breaking: true }, /breaking/],
      ['POST', updatesPath(story.id), { body: 'x', keyEvent: true }, /key events/],
      [
        'POST',
        updatesPath(story.id),
        { body: 'x', publishAt: new Date(Date.now() + 3_600_000).toISOString() },
        /cannot schedule/,
      ],
      ['GET', `${updatesPath(story.id)}?status=scheduled`, undefined, /admin|editor/],
      ['POST', '/api/stories', { title: 'Mine' }, /admin/],
      ['PATCH', `/api/stories/${story.id}`, { title: 'Mine' }, /admin/],
      ['GET', '/api/editors', undefined, /admin/],
      ['POST', '/api/editors', { name: 'mallory' }, /admin/],
      ['GET', `/api/stories/${story.id}/audit`, undefined, /contributor/],
    ];
    for (const [method, path, body, message] of refusals) {
      const res = await stack.request(method, path, { body, token: carla });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.body.error.message).toMatch(message);
    }
    // Nothing was held for the refused posts.
    expect((await queue(story.id)).body.submissions).toEqual([]);
  });

  it('cannot approve, reject, edit or delete others’ updates and submissions', async () => {
    const story = await newStory('Contributor and others');
    await stack.request('POST', updatesPath(story.id), { body: { id: 'ed-1', body: 'Editor text' } });
    await eventually(async () => (await stack.request('GET', `${updatesPath(story.id)}/ed-1`)).status === 200);
    expect((await submit(story.id, { id: 'dan-1', body: 'Dan writes' }, dan)).status).toBe(202);
    const forbidden = [
      stack.request('POST', `${updatesPath(story.id)}/dan-1/approve`, { token: carla }),
      stack.request('POST', `${updatesPath(story.id)}/dan-1/reject`, { body: { note: 'no' }, token: carla }),
      stack.request('PATCH', `${updatesPath(story.id)}/dan-1`, { body: { body: 'Carla was here' }, token: carla }),
      stack.request('DELETE', `${updatesPath(story.id)}/dan-1`, { token: carla }),
      stack.request('PATCH', `${updatesPath(story.id)}/ed-1`, { body: { body: 'Carla was here' }, token: carla }),
      stack.request('DELETE', `${updatesPath(story.id)}/ed-1`, { token: carla }),
      // Reusing an id another contributor submitted under.
      submit(story.id, { id: 'dan-1', body: 'Mine now' }),
    ];
    for (const res of await Promise.all(forbidden)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    // A contributor lists only their own submissions; editors see all; no token, no list.
    expect((await queue(story.id, carla)).body.submissions).toEqual([]);
    expect((await queue(story.id, dan)).body.submissions).toMatchObject([{ id: 'dan-1', body: 'Dan writes' }]);
    expect((await queue(story.id, null)).status).toBe(401);
    expect((await stack.request('GET', `${updatesPath(story.id)}/ed-1`)).body.body).toBe('Editor text');
  });
});

describe('rejection and resubmission', () => {
  it('sends it back with a note the contributor sees, takes an edit as a resubmission, then approves', async () => {
    const story = await newStory('Reject and resubmit');
    expect((await submit(story.id, { id: 'sub-r', body: 'Unsourced claim' })).status).toBe(202);
    const reject = (note: unknown, token = editor) =>
      stack.request('POST', `${updatesPath(story.id)}/sub-r/reject`, { body: { note }, token });
    expect((await reject('')).status).toBe(400);
    expect((await reject('x'.repeat(1001))).status).toBe(400);
    const rejected = await reject('Name your source, please');
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ state: 'rejected', note: 'Name your source, please', rejectedBy: 'eve' });
    expect((await reject('Again')).status).toBe(409);

    const mine = await queue(story.id, carla, 'rejected');
    expect(mine.body.submissions).toMatchObject([{ id: 'sub-r', note: 'Name your source, please' }]);
    expect((await queue(story.id, carla)).body.submissions).toEqual([]);
    // A rejected submission cannot be approved until it is resubmitted.
    const early = await stack.request('POST', `${updatesPath(story.id)}/sub-r/approve`, { token: editor });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('SUBMISSION_NOT_PENDING');
    const unknown = await stack.request('POST', `${updatesPath(story.id)}/nope/approve`, { token: editor });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('SUBMISSION_NOT_FOUND');

    const edited = await stack.request('PATCH', `${updatesPath(story.id)}/sub-r`, {
      body: { body: 'Claim, says the mayor' },
      token: carla,
    });
    expect(edited.status).toBe(202);
    expect(edited.body.status).toBe('pending');
    expect((await queue(story.id)).body.submissions).toMatchObject([
      { id: 'sub-r', state: 'pending', body: 'Claim, says the mayor', lastNote: 'Name your source, please' },
    ]);
    expect((await stack.request('POST', `${updatesPath(story.id)}/sub-r/approve`, { token: editor })).status).toBe(202);
    await eventually(async () => (await stack.request('GET', `${updatesPath(story.id)}/sub-r`)).status === 200);
    // Published: the contributor can no longer change it.
    const late = await stack.request('PATCH', `${updatesPath(story.id)}/sub-r`, { body: { body: 'x' }, token: carla });
    expect(late.status).toBe(409);
  });

  it('shows reviewers a submitted photo as the published update will: a figure', async () => {
    const story = await newStory('Photo submission');
    const upload = await uploadPhoto(stack.urls[0]!, carla, {
      bytes: await cameraJpeg(640, 480),
      name: 'square.jpg',
      type: 'image/jpeg',
    });
    expect(upload.status).toBe(201);
    const body = `The square this morning\n\n![Crowds in the square](${upload.body.url})`;
    expect((await submit(story.id, { id: 'sub-photo', body })).status).toBe(202);
    const [submission] = (await queue(story.id)).body.submissions;
    expect(submission.html).toContain('<figure');
    expect(submission.html).toContain('srcset=');
  });

  it('lets a contributor withdraw their own pending submission', async () => {
    const story = await newStory('Withdraw');
    expect((await submit(story.id, { id: 'sub-w', body: 'Second thoughts' })).status).toBe(202);
    expect((await stack.request('DELETE', `${updatesPath(story.id)}/sub-w`, { token: carla })).status).toBe(204);
    expect((await queue(story.id)).body.submissions).toEqual([]);
  });
});

describe('the audit trail', () => {
  it('records submit, reject, resubmit and approve with their actors', async () => {
    const story = await newStory('Audited review');
    await submit(story.id, { id: 'sub-a', body: 'First try' });
    await stack.request('POST', `${updatesPath(story.id)}/sub-a/reject`, {
      body: { note: 'Too short' },
      token: editor,
    });
    await stack.request('PATCH', `${updatesPath(story.id)}/sub-a`, { body: { body: 'Longer try' }, token: carla });
    await stack.request('POST', `${updatesPath(story.id)}/sub-a/approve`, { token: editor });
    await eventually(async () => (await stack.request('GET', `${updatesPath(story.id)}/sub-a`)).status === 200);
    const { body } = await stack.request('GET', `/api/stories/${story.id}/audit`);
    const trail = (body.entries as { actor: string; action: string; updateId?: string; changes?: unknown }[])
      .filter((entry) => entry.updateId === 'sub-a')
      .reverse();
    expect(trail.map((entry) => [entry.action, entry.actor])).toEqual([
      ['submission.submitted', 'carla'],
      ['submission.rejected', 'eve'],
      ['submission.resubmitted', 'carla'],
      ['submission.approved', 'eve'],
      ['update.created', 'carla'],
    ]);
    expect(trail[1]!.changes).toEqual({ note: 'Too short' });
  });
});

describe('GET /api/me', () => {
  it('names the account and its role', async () => {
    expect((await stack.request('GET', '/api/me', { token: carla })).body).toMatchObject({
      name: 'carla',
      role: 'contributor',
    });
    expect((await stack.request('GET', '/api/me')).body).toMatchObject({ name: 'ada', role: 'admin' });
    expect((await stack.request('GET', '/api/me', { token: null })).status).toBe(401);
  });
});
