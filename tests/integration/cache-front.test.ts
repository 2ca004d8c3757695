/**
 * The cache front answers repeats of hot reads before Fastify: with Fastify's very answer (bytes
 * and headers, a fresh request id), only for the same URL, gzip choice and Origin, never after
 * the story has changed, and never for HEAD, conditional or personal (Authorization, Cookie) requests.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryEvent } from '../../src/domain/events.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let story: { id: string; slug: string };

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

beforeAll(async () => {
  stack = await startStack();
  story = (await stack.request('POST', '/api/stories', { body: { title: 'Cache front' } })).body;
  await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'first', body: 'First update' } });
  await eventually(
    async () => (await stack.request('GET', `/api/stories/${story.id}/updates?limit=5`)).body.updates.length === 1,
    'first applied',
  );
});
afterAll(() => stack.close());

function rawRequest(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${stack.urls[0]}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function frontAnswers(): Promise<number> {
  const metrics = (await rawRequest('/metrics')).body.toString();
  const line = metrics.split('\n').find((l) => l.startsWith('stoppress_cache_front_answers_total '));
  if (!line) throw new Error('no stoppress_cache_front_answers_total in /metrics');
  return Number(line.split(' ')[1]);
}

/** Headers that are the request's own, not the answer's. */
function answerHeaders(response: RawResponse): Record<string, unknown> {
  const { date: _date, 'x-request-id': _id, ...rest } = response.headers;
  return rest;
}

const gzip = { 'accept-encoding': 'gzip, deflate, br' };

describe.each([
  ['story page', () => `/stories/${story.slug}`],
  ['updates API', () => `/api/stories/${story.id}/updates`],
])('%s', (_name, path) => {
  it('a repeat is answered by the front with the answer Fastify gave: same status, headers and bytes, its own request id', async () => {
    const first = await rawRequest(path(), gzip);
    const before = await frontAnswers();
    const repeat = await rawRequest(path(), gzip);
    const traced = await rawRequest(path(), { ...gzip, 'x-request-id': 'trace-front-1' });
    expect(await frontAnswers()).toBe(before + 2);
    expect(repeat.status).toBe(200);
    expect(repeat.body.equals(first.body)).toBe(true);
    expect(answerHeaders(repeat)).toEqual(answerHeaders(first));
    expect(repeat.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(repeat.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(traced.headers['x-request-id']).toBe('trace-front-1');
  });

  it('keeps apart what Fastify answers differently: gzip or not, Origin, query; HEAD and If-None-Match go to Fastify', async () => {
    const zipped = await rawRequest(path(), gzip);
    const plain = await rawRequest(path());
    const cors = await rawRequest(path(), { ...gzip, origin: 'https://elsewhere.example' });
    for (const response of [zipped, plain, cors]) expect(response.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    // The repeats, now from the front, still differ the same way.
    expect((await rawRequest(path())).headers['content-encoding']).toBeUndefined();
    expect((await rawRequest(path(), gzip)).headers['content-encoding']).toBe('gzip');
    const before = await frontAnswers();
    const head = await rawRequest(path(), gzip, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const etag = zipped.headers.etag;
    if (typeof etag === 'string')
      expect((await rawRequest(path(), { ...gzip, 'if-none-match': etag })).status).toBe(304);
    expect(await frontAnswers()).toBe(before);
    expect((await rawRequest(`${path()}?bogus=1`, gzip)).status).toBe(400);
  });

  it.each([
    ['Authorization', () => ({ authorization: `Bearer ${stack.token}` })],
    ['Cookie', () => ({ cookie: 'session=reader-1' })],
  ])('a request with %s is neither answered by the front nor remembered for the next one', async (_h, personal) => {
    // An Origin of its own: a key the front holds nothing for yet.
    const fresh = { ...gzip, origin: `https://personal-${randomUUID()}.example` };
    const before = await frontAnswers();
    for (let i = 0; i < 2; i++) expect((await rawRequest(path(), { ...fresh, ...personal() })).status).toBe(200);
    expect(await frontAnswers()).toBe(before);
    // They seeded nothing: Fastify answers the first anonymous request, and that seeds the front.
    expect((await rawRequest(path(), fresh)).status).toBe(200);
    expect(await frontAnswers()).toBe(before);
    expect((await rawRequest(path(), fresh)).status).toBe(200);
    expect(await frontAnswers()).toBe(before + 1);
    // With the front seeded, a personal request still goes to Fastify.
    expect((await rawRequest(path(), { ...fresh, ...personal() })).status).toBe(200);
    expect(await frontAnswers()).toBe(before + 1);
  });
});

it("a story event drops the story's replays: the first read after a reader got the event shows the change", async () => {
  const page = `/stories/${story.slug}`;
  const list = `/api/stories/${story.id}/updates`;
  for (let i = 0; i < 2; i++) {
    await rawRequest(page);
    await rawRequest(list);
  }
  const reader = stack.reader(stack.urls[0]);
  const events: StoryEvent[] = [];
  reader.on('story-event', (event) => events.push(event));
  await new Promise((resolve) => reader.emit('subscribe', { storyId: story.id } as never, resolve));
  await stack.request('POST', `/api/stories/${story.id}/updates`, {
    body: { id: 'second', body: 'Second update, fresh' },
  });
  // The node drops its replays in the same Redis message dispatch that feeds the reader's socket.
  await eventually(() => events.some((e) => e.type === 'update.created'), 'the event at the reader');
  const before = await frontAnswers();
  expect((await rawRequest(page)).body.toString()).toContain('Second update, fresh');
  expect(JSON.parse((await rawRequest(list)).body.toString()).updates[0].id).toBe('second');
  expect(await frontAnswers()).toBe(before);
  reader.close();
});
