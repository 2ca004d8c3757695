import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

describe('POST /api/stories', () => {
  it('creates a live story with a slug from its title', async () => {
    const res = await stack.request('POST', '/api/stories', {
      body: { title: 'Storm hits the coast', summary: 'Live coverage' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: 'storm-hits-the-coast',
      title: 'Storm hits the coast',
      summary: 'Live coverage',
      status: 'live',
      lastSeq: 0,
    });
    expect(res.body.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
  });

  it('takes a chosen slug, and refuses a taken one with 409 SLUG_TAKEN', async () => {
    const first = await stack.request('POST', '/api/stories', { body: { title: 'A', slug: 'budget-day' } });
    expect(first.status).toBe(201);
    expect(first.body.slug).toBe('budget-day');
    const second = await stack.request('POST', '/api/stories', { body: { title: 'B', slug: 'budget-day' } });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('SLUG_TAKEN');
  });

  it('gives a second story with the same title a different slug', async () => {
    const a = await stack.request('POST', '/api/stories', { body: { title: 'Same title' } });
    const b = await stack.request('POST', '/api/stories', { body: { title: 'Same title' } });
    expect(a.body.slug).not.toBe(b.body.slug);
  });

  it('refuses a missing token (401) and a wrong one (401)', async () => {
    const none = await stack.request('POST', '/api/stories', { body: { title: 'x' }, token: null });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    const wrong = await stack.request('POST', '/api/stories', { body: { title: 'x' }, token: 'sp_not-a-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.any(String) });
  });

  it.each([
    ['bad JSON', 400, 'INVALID_JSON', { rawBody: '{"title": ' }],
    ['an empty body', 400, 'INVALID_JSON', { rawBody: '' }],
    ['a missing title', 400, 'VALIDATION_FAILED', { body: { summary: 'x' } }],
    ['a blank title', 400, 'VALIDATION_FAILED', { body: { title: '   ' } }],
    ['a too long title', 400, 'VALIDATION_FAILED', { body: { title: 'x'.repeat(201) } }],
    ['an unknown field', 400, 'VALIDATION_FAILED', { body: { title: 'x', color: 'red' } }],
    ['a title of the wrong type', 400, 'VALIDATION_FAILED', { body: { title: 42 } }],
    ['an invalid slug', 400, 'VALIDATION_FAILED', { body: { title: 'x', slug: 'Not A Slug!' } }],
    [
      'a body over the request limit',
      413,
      'PAYLOAD_TOO_LARGE',
      { rawBody: JSON.stringify({ title: 'x', summary: 'y'.repeat(300_000) }) },
    ],
    [
      'a non-JSON content type',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      { rawBody: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    ],
  ])('refuses %s with %i %s and creates nothing', async (_name, status, code, options) => {
    const before = await stack.request('GET', '/api/stories?limit=100');
    const res = await stack.request('POST', '/api/stories', options);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toEqual(expect.any(String));
    const after = await stack.request('GET', '/api/stories?limit=100');
    expect(after.body.stories.length).toBe(before.body.stories.length);
  });
});

describe('GET /api/stories', () => {
  it('lists newest first and pages with next', async () => {
    for (const title of ['Page one', 'Page two', 'Page three']) {
      await stack.request('POST', '/api/stories', { body: { title } });
    }
    const first = await stack.request('GET', '/api/stories?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.stories.map((s: { title: string }) => s.title)).toEqual(['Page three', 'Page two']);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await stack.request('GET', `/api/stories?limit=2&before=${first.body.next}`);
    expect(second.body.stories[0].title).toBe('Page one');
  });

  it.each([
    ['limit=0', 'VALIDATION_FAILED'],
    ['limit=101', 'VALIDATION_FAILED'],
    ['limit=abc', 'VALIDATION_FAILED'],
    ['before=xyz', 'VALIDATION_FAILED'],
  ])('refuses ?%s with 400 %s', async (query, code) => {
    const res = await stack.request('GET', `/api/stories?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
  });
});

describe('GET /api/stories/:id', () => {
  it('finds a story by id and by slug', async () => {
    const created = await stack.request('POST', '/api/stories', { body: { title: 'Find me' } });
    const byId = await stack.request('GET', `/api/stories/${created.body.id}`);
    const bySlug = await stack.request('GET', `/api/stories/${created.body.slug}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(created.body);
    expect(bySlug.body.id).toBe(created.body.id);
  });

  it('answers 404 STORY_NOT_FOUND for an unknown story', async () => {
    const res = await stack.request('GET', '/api/stories/nope-nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('STORY_NOT_FOUND');
  });

  it('answers 404 NOT_FOUND for an unknown route', async () => {
    const res = await stack.request('GET', '/api/nothing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('PATCH /api/stories/:id', () => {
  it('changes title and summary, ends and reopens the story, each with a story.updated event', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Before' } });
    const res = await stack.request('PATCH', `/api/stories/${story.id}`, {
      body: { title: 'After', summary: 'New summary' },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: story.id, storyId: story.id, status: 'queued' });
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.title === 'After',
      'title change',
    );

    await stack.request('PATCH', `/api/stories/${story.id}`, { body: { status: 'ended' } });
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.status === 'ended',
      'story ended',
    );
    await stack.request('PATCH', `/api/stories/${story.id}`, { body: { status: 'live' } });
    const reopened = await eventually(async () => {
      const s = (await stack.request('GET', `/api/stories/${story.id}`)).body;
      return s.status === 'live' && s.lastSeq === 3 ? s : null;
    }, 'story reopened');
    expect(reopened.summary).toBe('New summary');

    const events = await stack.request('GET', `/api/stories/${story.id}/events`);
    expect(events.body.events.map((e: { type: string; seq: number }) => [e.seq, e.type])).toEqual([
      [1, 'story.updated'],
      [2, 'story.updated'],
      [3, 'story.updated'],
    ]);
    expect(events.body.events[1].story.status).toBe('ended');
  });

  it.each([
    ['an empty patch', 400, 'VALIDATION_FAILED', {}],
    ['an unknown status', 400, 'VALIDATION_FAILED', { status: 'paused' }],
    ['an unknown field', 400, 'VALIDATION_FAILED', { slug: 'x' }],
  ])('refuses %s with %i %s', async (_name, status, code, body) => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Patch me' } });
    const res = await stack.request('PATCH', `/api/stories/${story.id}`, { body });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('needs a token and a known story', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Guarded' } });
    const noToken = await stack.request('PATCH', `/api/stories/${story.id}`, { body: { title: 'x' }, token: null });
    expect(noToken.status).toBe(401);
    const unknown = await stack.request('PATCH', '/api/stories/unknown-story', { body: { title: 'x' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('STORY_NOT_FOUND');
  });
});

describe('operations endpoints', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await stack.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await stack.request('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({ redis: 'ok', queue: 'ok' });
  });

  it('serves the OpenAPI document built from the route schemas', async () => {
    const res = await stack.request('GET', '/docs/json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/stories', '/api/stories/{id}/updates', '/api/stories/{id}/events']),
    );
    expect(
      res.body.paths['/api/stories/{id}/updates'].post.requestBody.content['application/json'].schema.properties.body
        .maxLength,
    ).toBe(65536);
  });
});
