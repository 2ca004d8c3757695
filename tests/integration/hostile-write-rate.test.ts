/** The per-editor write rate limit, shared by both API nodes and by every kind of write. */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../src/queue/jobs.ts';
import { bullmqConnection } from '../../src/redis/connections.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

describe('per-editor write rate limit (WRITE_RATE_PER_MINUTE=3)', () => {
  let limited: Stack;
  let queue: Queue;
  let path: string;
  beforeAll(async () => {
    limited = await startStack({
      apis: 2,
      workers: 0,
      env: { WRITE_RATE_PER_MINUTE: '3', PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000000' },
    });
    queue = new Queue(QUEUES.storyOps, {
      connection: bullmqConnection(limited.config.redis.topology, 'worker').connection,
      prefix: limited.config.queuePrefix,
    });
    // The admin's first write of the minute; each test writes as an editor of its own.
    const story = await limited.request('POST', '/api/stories', { body: { title: 'Rate limited' } });
    expect(story.status).toBe(201);
    path = `/api/stories/${story.body.id}/updates`;
  });
  afterAll(async () => {
    await queue?.close();
    await limited?.close();
  });

  /** A fresh editor (creating editors is not a rate-limited write), with its whole budget. */
  async function newEditor(name: string): Promise<string> {
    const editor = await limited.request('POST', '/api/editors', { body: { name } });
    expect(editor.status).toBe(201);
    return editor.body.token;
  }

  it('answers the 4th post of an editor within a minute with 429 RATE_LIMITED and a message, counted across both API nodes', async () => {
    const token = await newEditor('poster');
    const [a, b] = limited.urls as [string, string];
    const waitingBefore = (await queue.getJobCounts('waiting')).waiting ?? 0;
    const statuses: number[] = [];
    for (const [i, base] of [a, b, a].entries()) {
      statuses.push(
        (await limited.request('POST', path, { base, token, body: { id: `post-${i}`, body: `Write ${i}` } })).status,
      );
    }
    const fourth = await limited.request('POST', path, {
      base: b,
      token,
      body: { id: 'post-3', body: 'Fourth write' },
    });
    expect(statuses).toEqual([202, 202, 202]);
    expect(fourth.status).toBe(429);
    expect(fourth.body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringMatching(/retry in \d+/i) } });
    expect(
      (await limited.request('POST', path, { base: a, token, body: { id: 'post-4', body: 'Fifth write' } })).status,
    ).toBe(429);
    // The refused posts queued nothing; reads are not limited; another editor has a budget of its own.
    expect((await queue.getJobCounts('waiting')).waiting).toBe(waitingBefore + 3);
    expect((await limited.request('GET', path, { base: b })).status).toBe(200);
    expect((await limited.request('POST', path, { base: b, body: { body: 'The admin still writes' } })).status).toBe(
      202,
    );
  });

  it('counts every kind of write of an editor together (post, edit, delete), not each route on its own', async () => {
    const token = await newEditor('mixed-writer');
    const [a, b] = limited.urls as [string, string];
    expect(
      (await limited.request('POST', path, { base: a, token, body: { id: 'mixed', body: 'First write' } })).status,
    ).toBe(202);
    expect(
      (await limited.request('PATCH', `${path}/mixed`, { base: b, token, body: { body: 'Second write' } })).status,
    ).toBe(202);
    expect((await limited.request('PATCH', `${path}/mixed`, { base: a, token, body: { keyEvent: true } })).status).toBe(
      202,
    );
    const fourth = await limited.request('DELETE', `${path}/mixed`, { base: b, token });
    expect({ status: fourth.status, body: fourth.body }).toEqual({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: expect.any(String) } },
    });
  });

  it('counts one editor once however the Authorization header is spelled', async () => {
    const token = await newEditor('respeller');
    const [a, b] = limited.urls as [string, string];
    // All four spellings are accepted by the auth check as the same token.
    const spellings = [`Bearer ${token}`, `bearer ${token}`, `BEARER  ${token}`, `Bearer\t${token}`];
    const statuses: number[] = [];
    for (const [i, authorization] of spellings.entries()) {
      const answer = await limited.request('POST', path, {
        base: i % 2 ? b : a,
        token: null,
        headers: { authorization },
        body: { id: `spelled-${i}`, body: `Write ${i}` },
      });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});
