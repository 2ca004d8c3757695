import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { MAX_PINNED: '2' } });
});
afterAll(async () => {
  await stack.close();
});

async function newStory(title = 'Updates story'): Promise<{ id: string; slug: string }> {
  const res = await stack.request('POST', '/api/stories', { body: { title } });
  expect(res.status).toBe(201);
  return res.body;
}

async function events(
  storyId: string,
): Promise<{ seq: number; type: string; update?: { id: string; version: number } }[]> {
  return (await stack.request('GET', `/api/stories/${storyId}/events?limit=1000`)).body.events;
}

async function waitForSeq(storyId: string, seq: number): Promise<void> {
  await eventually(
    async () => (await stack.request('GET', `/api/stories/${storyId}`)).body.lastSeq >= seq,
    `seq ${seq}`,
  );
}

describe('posting updates', () => {
  it('queues with 202, then the worker stores it with rendered, sanitized HTML', async () => {
    const story = await newStory();
    const res = await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { title: 'Polls close', body: '**Counting** starts <script>alert(1)</script>', keyEvent: true },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: expect.any(String), storyId: story.id, status: 'queued' });
    await waitForSeq(story.id, 1);
    const list = await stack.request('GET', `/api/stories/${story.slug}/updates`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ next: null, lastSeq: 1 });
    const [update] = list.body.updates;
    expect(update).toMatchObject({
      id: res.body.id,
      storyId: story.id,
      title: 'Polls close',
      body: '**Counting** starts <script>alert(1)</script>',
      pinned: false,
      keyEvent: true,
      author: 'tester',
      version: 1,
    });
    expect(update.html).toContain('<strong>Counting</strong>');
    expect(update.html).not.toContain('<script');
    const one = await stack.request('GET', `/api/stories/${story.id}/updates/${update.id}`);
    expect(one.body).toEqual(update);
  });

  it('edits, pins, unpins and deletes, each as one event carrying the whole current update', async () => {
    const story = await newStory();
    const { body: created } = await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'first', body: 'Draft' },
    });
    // An edit right behind the create is accepted even before the worker has applied the create.
    const edit = await stack.request('PATCH', `/api/stories/${story.id}/updates/${created.id}`, {
      body: { body: 'Final text', title: 'Now titled' },
    });
    expect(edit.status).toBe(202);
    await waitForSeq(story.id, 2);
    expect(
      (await stack.request('PATCH', `/api/stories/${story.id}/updates/first`, { body: { pinned: true } })).status,
    ).toBe(202);
    await waitForSeq(story.id, 3);
    expect(
      (await stack.request('PATCH', `/api/stories/${story.id}/updates/first`, { body: { pinned: false } })).status,
    ).toBe(202);
    await waitForSeq(story.id, 4);
    expect((await stack.request('DELETE', `/api/stories/${story.id}/updates/first`)).status).toBe(202);
    await waitForSeq(story.id, 5);

    const log = await events(story.id);
    expect(log.map((e) => [e.seq, e.type, e.update?.version])).toEqual([
      [1, 'update.created', 1],
      [2, 'update.edited', 2],
      [3, 'update.pinned', 3],
      [4, 'update.unpinned', 4],
      [5, 'update.deleted', 5],
    ]);
    expect(log[1]!.update).toMatchObject({ body: 'Final text', title: 'Now titled', html: '<p>Final text</p>' });
    const list = await stack.request('GET', `/api/stories/${story.id}/updates`);
    expect(list.body.updates).toEqual([]);
    expect((await stack.request('GET', `/api/stories/${story.id}/updates/first`)).status).toBe(410);
    const again = await stack.request('PATCH', `/api/stories/${story.id}/updates/first`, { body: { body: 'x' } });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('UPDATE_DELETED');
    expect((await stack.request('DELETE', `/api/stories/${story.id}/updates/first`)).status).toBe(410);
  });

  it('pages updates newest first with next', async () => {
    const story = await newStory();
    for (let i = 1; i <= 5; i++) {
      await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: `u${i}`, body: `Update ${i}` } });
      await waitForSeq(story.id, i);
    }
    const first = await stack.request('GET', `/api/stories/${story.id}/updates?limit=2`);
    expect(first.body.updates.map((u: { id: string }) => u.id)).toEqual(['u5', 'u4']);
    const second = await stack.request('GET', `/api/stories/${story.id}/updates?limit=2&before=${first.body.next}`);
    expect(second.body.updates.map((u: { id: string }) => u.id)).toEqual(['u3', 'u2']);
    const third = await stack.request('GET', `/api/stories/${story.id}/updates?limit=2&before=${second.body.next}`);
    expect(third.body.updates.map((u: { id: string }) => u.id)).toEqual(['u1']);
    expect(third.body.next).toBeNull();
  });
});

describe('idempotency', () => {
  it('the same client id posted 5 times yields one update and one event', async () => {
    const story = await newStory();
    const replies = [];
    for (let i = 0; i < 5; i++) {
      replies.push(
        await stack.request('POST', `/api/stories/${story.id}/updates`, {
          body: { id: 'retry-me', body: 'Once only' },
        }),
      );
    }
    expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(replies.map((r) => r.body.id))).toEqual(new Set(['retry-me']));
    await waitForSeq(story.id, 1);
    // Give any duplicate job every chance to show up before counting.
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'marker', body: 'after' } });
    await waitForSeq(story.id, 2);
    const log = await events(story.id);
    expect(log.filter((e) => e.update?.id === 'retry-me')).toHaveLength(1);
    expect((await stack.request('GET', `/api/stories/${story.id}/updates`)).body.updates).toHaveLength(2);
  });

  it('the same Idempotency-Key posted 5 times in parallel yields one update and one event', async () => {
    const story = await newStory();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        stack.request('POST', `/api/stories/${story.id}/updates`, {
          body: { body: 'Keyed' },
          headers: { 'idempotency-key': 'key-123' },
        }),
      ),
    );
    expect(replies.every((r) => r.status === 202)).toBe(true);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'marker', body: 'after' } });
    await eventually(async () => (await events(story.id)).some((e) => e.update?.id === 'marker'), 'marker');
    const log = await events(story.id);
    expect(log.filter((e) => e.update?.id === replies[0]!.body.id)).toHaveLength(1);
    expect(log).toHaveLength(2);
  });

  it('a repeated edit with the same Idempotency-Key is applied once', async () => {
    const story = await newStory();
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'e1', body: 'v1' } });
    await waitForSeq(story.id, 1);
    for (let i = 0; i < 3; i++) {
      const res = await stack.request('PATCH', `/api/stories/${story.id}/updates/e1`, {
        body: { body: 'v2' },
        headers: { 'idempotency-key': 'edit-1' },
      });
      expect(res.status).toBe(202);
    }
    await stack.request('PATCH', `/api/stories/${story.id}/updates/e1`, { body: { keyEvent: true } });
    await waitForSeq(story.id, 3);
    const log = await events(story.id);
    expect(log.map((e) => e.type)).toEqual(['update.created', 'update.edited', 'update.edited']);
  });
});

describe('bad input changes nothing', () => {
  it.each([
    ['a missing token', 401, 'UNAUTHORIZED', { body: { body: 'x' }, token: null }],
    ['a wrong token', 401, 'UNAUTHORIZED', { body: { body: 'x' }, token: 'sp_wrong' }],
    [
      'a malformed Authorization header',
      401,
      'UNAUTHORIZED',
      { body: { body: 'x' }, token: null, headers: { authorization: 'Basic abc' } },
    ],
    ['bad JSON', 400, 'INVALID_JSON', { rawBody: '{"body": "x"' }],
    ['a missing body', 400, 'VALIDATION_FAILED', { body: { title: 'x' } }],
    ['an empty body', 400, 'VALIDATION_FAILED', { body: { body: '' } }],
    ['a whitespace body', 400, 'VALIDATION_FAILED', { body: { body: '  \n ' } }],
    ['a body of the wrong type', 400, 'VALIDATION_FAILED', { body: { body: ['x'] } }],
    ['pinned as a string', 400, 'VALIDATION_FAILED', { body: { body: 'x', pinned: 'true' } }],
    ['an unknown field', 400, 'VALIDATION_FAILED', { body: { body: 'x', sticky: true } }],
    ['an invalid id', 400, 'VALIDATION_FAILED', { body: { body: 'x', id: 'has space' } }],
    ['a too long title', 400, 'VALIDATION_FAILED', { body: { body: 'x', title: 't'.repeat(201) } }],
    ['a body over 64 KiB', 413, 'UPDATE_TOO_LARGE', { body: { body: 'x'.repeat(64 * 1024 + 1) } }],
    ['a body over 64 KiB in UTF-8 bytes', 413, 'UPDATE_TOO_LARGE', { body: { body: 'é'.repeat(33_000) } }],
    ['a __proto__ key', 400, 'BAD_REQUEST', { rawBody: '{"body":"x","__proto__":{"admin":true}}' }],
  ])('refuses %s with %i %s', async (_name, status, code, options) => {
    const story = await newStory();
    const res = await stack.request('POST', `/api/stories/${story.id}/updates`, options);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toEqual(expect.any(String));
    const counts = await stack.redis.call('LLEN', `${stack.config.queuePrefix}:story-ops:wait`);
    expect(counts).toBe(0);
    expect((await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq).toBe(0);
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const story = await newStory();
    const res = await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { body: 'x'.repeat(64 * 1024) },
    });
    expect(res.status).toBe(202);
  });

  it('answers 404 STORY_NOT_FOUND for an unknown story', async () => {
    const res = await stack.request('POST', '/api/stories/no-such-story/updates', { body: { body: 'x' } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('STORY_NOT_FOUND');
    const list = await stack.request('GET', '/api/stories/no-such-story/updates');
    expect(list.status).toBe(404);
  });

  it('answers 404 UPDATE_NOT_FOUND for edits and deletes of an unknown update', async () => {
    const story = await newStory();
    const edit = await stack.request('PATCH', `/api/stories/${story.id}/updates/ghost`, { body: { body: 'x' } });
    expect(edit.status).toBe(404);
    expect(edit.body.error.code).toBe('UPDATE_NOT_FOUND');
    const del = await stack.request('DELETE', `/api/stories/${story.id}/updates/ghost`);
    expect(del.status).toBe(404);
    expect(del.body.error.code).toBe('UPDATE_NOT_FOUND');
  });

  it('refuses an empty edit with 400 VALIDATION_FAILED', async () => {
    const story = await newStory();
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'x1', body: 'x' } });
    const res = await stack.request('PATCH', `/api/stories/${story.id}/updates/x1`, { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses new updates to an ended story with 409 STORY_ENDED', async () => {
    const story = await newStory();
    await stack.request('PATCH', `/api/stories/${story.id}`, { body: { status: 'ended' } });
    await waitForSeq(story.id, 1);
    const res = await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { body: 'late' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('STORY_ENDED');
  });

  it('refuses a pin beyond the per-story limit with 409 PINNED_LIMIT_REACHED', async () => {
    const story = await newStory();
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'p1', body: 'x', pinned: true } });
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'p2', body: 'x', pinned: true } });
    await waitForSeq(story.id, 2);
    const res = await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'p3', body: 'x', pinned: true },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PINNED_LIMIT_REACHED');
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'p4', body: 'x' } });
    const pin = await stack.request('PATCH', `/api/stories/${story.id}/updates/p4`, { body: { pinned: true } });
    expect(pin.status).toBe(409);
  });
});
