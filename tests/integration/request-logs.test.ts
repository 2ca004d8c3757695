/** pino JSON logs: one line per answered request, carrying the request id that the client sees. */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createApiNode, type ApiNode } from '../../src/api-node.ts';
import type { Config } from '../../src/config.ts';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { redisUrlOf, testConfig } from '../helpers/test-config.ts';

const lines: Record<string, unknown>[] = [];
let node: ApiNode;
let base: string;
let config: Config;

beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  config = testConfig();
  node = await createApiNode(config, logger);
  await node.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(node.app.server.address() as { port: number }).port}`;
});
afterAll(() => node.close());

describe('request logs', () => {
  it('write one JSON line per request with its id, method, path, status and time', async () => {
    const res = await fetch(`${base}/api/stories/no-such-story`, { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
    const mine = lines.filter((l) => l.reqId === 'trace-abc-123');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      msg: 'request',
      method: 'GET',
      url: '/api/stories/no-such-story',
      status: 404,
      level: 30,
    });
    expect(typeof mine[0]!.ms).toBe('number');
  });

  it('write the same line for a repeat the cache front answers before Fastify', async () => {
    const redis = new Redis(redisUrlOf(config));
    const { token } = await createEditorStore(redis, createKeys(config.keyPrefix)).add('logs', 'admin');
    await redis.quit();
    const created = await fetch(`${base}/api/stories`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Logged' }),
    });
    expect(created.status).toBe(201);
    const story = ((await created.json()) as { id: string }).id;
    for (const id of ['trace-front-a', 'trace-front-b']) {
      const res = await fetch(`${base}/api/stories/${story}/updates`, { headers: { 'x-request-id': id } });
      expect(res.status).toBe(200);
    }
    const fastify = lines.filter((l) => l.reqId === 'trace-front-a');
    const front = lines.filter((l) => l.reqId === 'trace-front-b');
    expect(fastify).toHaveLength(1);
    expect(front).toHaveLength(1);
    const { reqId: _a, time: _t1, ms: _m1, ...fastifyLine } = fastify[0]!;
    const { reqId: _b, time: _t2, ms: _m2, ...frontLine } = front[0]!;
    expect(frontLine).toEqual(fastifyLine);
    expect(typeof front[0]!.ms).toBe('number');
  });
});
