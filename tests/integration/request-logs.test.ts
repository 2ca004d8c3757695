/** pino JSON logs: one line per answered request, carrying the request id that the client sees. */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiNode, type ApiNode } from '../../src/api-node.ts';
import { testConfig } from '../helpers/test-config.ts';

const lines: Record<string, unknown>[] = [];
let node: ApiNode;
let base: string;

beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  node = await createApiNode(testConfig(), logger);
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
    expect(mine[0]).toMatchObject({ msg: 'request', method: 'GET', url: '/api/stories/no-such-story', status: 404, level: 30 });
    expect(typeof mine[0]!.ms).toBe('number');
  });
});
