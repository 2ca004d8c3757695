/**
 * Hot reads are sent from bytes made once per change: gzip to clients that take it, the same
 * content uncompressed to the others, and never a stale copy after an update.
 */
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let story: { id: string; slug: string };

beforeAll(async () => {
  stack = await startStack();
  story = (await stack.request('POST', '/api/stories', { body: { title: 'Compressed reads' } })).body;
  await post('first', 'The **first** update, with ünïcödé');
});
afterAll(() => stack.close());

async function post(id: string, body: string): Promise<void> {
  expect((await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id, body } })).status).toBe(202);
  await eventually(
    async () =>
      (await stack.request('GET', `/api/stories/${story.id}/updates`)).body.updates.some(
        (u: { id: string }) => u.id === id,
      ),
    `${id} applied`,
  );
}

/** Raw bytes as they crossed the wire (fetch would inflate them silently). */
function rawGet(
  path: string,
  acceptEncoding?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${stack.urls[0]}${path}`,
      { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.each([
  ['story page', () => `/stories/${story.slug}`, 'text/html; charset=utf-8'],
  ['updates API', () => `/api/stories/${story.id}/updates`, 'application/json; charset=utf-8'],
])('%s', (_name, path, contentType) => {
  it('is gzip for a client that accepts it and identical uncompressed for one that does not, from the first request on', async () => {
    for (let i = 0; i < 2; i++) {
      // The first round renders (a cache miss), the second is served from the cache.
      const plain = await rawGet(path());
      const zipped = await rawGet(path(), 'gzip, deflate, br');
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(zipped.headers['content-encoding']).toBe('gzip');
      for (const res of [plain, zipped]) {
        expect(res.headers['content-type']).toBe(contentType);
        expect(res.headers.vary).toMatch(/accept-encoding/i);
      }
      expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
      expect(zipped.body.length).toBeLessThan(plain.body.length);
      expect(plain.body.toString('utf8')).toContain('ünïcödé');
    }
    expect((await rawGet(path(), 'gzip;q=0, identity')).headers['content-encoding']).toBeUndefined();
  });

  it('never serves a compressed copy older than the latest update', async () => {
    const id = `later-${contentType.length}`;
    await rawGet(path(), 'gzip');
    await post(id, `Posted after the cache was filled: ${id}`);
    const zipped = await rawGet(path(), 'gzip');
    expect(gunzipSync(zipped.body).toString('utf8')).toContain(id);
  });
});
