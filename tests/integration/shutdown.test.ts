/** Graceful shutdown of real API and worker processes: SIGTERM finishes what is in flight and exits 0. */
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnNode, waitForHttp, type NodeProcess } from '../../scripts/lib/processes.ts';
import { seqRange } from '../helpers/readers.ts';
import { openSse } from '../helpers/sse-client.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { processEnv } from '../helpers/test-config.ts';

let stack: Stack;
const spawned: NodeProcess[] = [];

beforeAll(async () => {
  stack = await startStack({ apis: 1, workers: 0 });
});
afterAll(async () => {
  for (const p of spawned) p.kill('SIGKILL');
  await stack.close();
});

describe('graceful shutdown', () => {
  it('the API process closes sockets and streams and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    // At info, a shutdown that runs out of time leaves the step it stopped at in the output.
    const env = processEnv(stack.config, { PORT: String(port), LOG_LEVEL: 'info' });
    const apiProcess = spawnNode('src/main.ts', { env });
    spawned.push(apiProcess);
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/healthz`, apiProcess);
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Shutdown' } });

    const socket = connect(base, { transports: ['websocket'], reconnection: false });
    const ack = await new Promise((resolve) => socket.emit('subscribe', { storyId: story.id }, resolve));
    expect(ack).toMatchObject({ ok: true });
    const disconnected = new Promise<string>((resolve) => socket.on('disconnect', resolve));
    const stream = await openSse(`${base}/api/stories/${story.id}/events`);

    apiProcess.kill('SIGTERM');
    expect(await apiProcess.exited, apiProcess.output().slice(-4000)).toEqual({ code: 0, signal: null });
    expect(await disconnected).toEqual(expect.any(String));
    await stream.ended;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('the worker finishes the jobs in flight and exits 0; nothing accepted is lost', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Worker shutdown' } });
    const env = processEnv(stack.config, { WORKER_CONCURRENCY: '4' });
    const worker = spawnNode('workers/main.ts', { env });
    spawned.push(worker);
    const posts = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: `w${i}`, body: `Update ${i}` } }),
      ),
    );
    expect(posts.every((r) => r.status === 202)).toBe(true);
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq > 0,
      'work started',
    );

    worker.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const active = await stack.redis.llen(`${stack.config.queuePrefix}:story-ops:active`);
    expect(active).toBe(0);

    const next = spawnNode('workers/main.ts', { env });
    spawned.push(next);
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 200,
      'all 200',
      60_000,
    );
    const events = (await stack.request('GET', `/api/stories/${story.id}/events?limit=1000`)).body.events;
    expect(events.map((e: { seq: number }) => e.seq)).toEqual(seqRange(1, 200));
    expect(new Set(events.map((e: { update: { id: string } }) => e.update.id)).size).toBe(200);
    next.kill('SIGTERM');
    expect((await next.exited).code).toBe(0);
  });
});
