/**
 * An API process SIGKILLed under 2,000 readers: they reconnect to the other node (as a load
 * balancer would send them; here each client's reconnect goes straight to the survivor, which
 * keeps a JavaScript proxy's CPU out of a 2-core measurement), resubscribe from their last seq,
 * and converge with no event missed.
 */
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReaderSocket } from '../../client/lib/story-feed.ts';
import { freePort, spawnNode, waitForHttp, type NodeProcess } from '../../scripts/lib/processes.ts';
import { feedReader, seqRange, type FeedReader } from '../helpers/readers.ts';
import { startStack, eventually, type Stack } from '../helpers/stack.ts';
import { processEnv } from '../helpers/test-config.ts';

const READERS = 2_000;
let stack: Stack;
const apis: NodeProcess[] = [];
const ports: number[] = [];
const sockets: ReaderSocket[] = [];

beforeAll(async () => {
  stack = await startStack({ apis: 0, workers: 1 });
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const api = spawnNode('src/main.ts', { env: processEnv(stack.config, { PORT: String(port) }) });
    apis.push(api);
    ports.push(port);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, api);
  }
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const api of apis) api.kill('SIGKILL');
  await stack.close();
});

const url = (i: number): string => `http://127.0.0.1:${ports[i]}`;

async function post(storyId: string, id: string, node: number): Promise<void> {
  // A post that hits the dying node is retried with the same id: idempotent.
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const res = await stack.request('POST', `/api/stories/${storyId}/updates`, {
        body: { id, body: `Update ${id}` },
        base: url(node),
      });
      if (res.status === 202) return;
    } catch {
      // connection reset by the kill
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`could not post ${id}`);
}

/** How many readers are in each state, to say where a failed run got stuck. */
function summarize(readers: FeedReader[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of readers) {
    const key = `pos=${r.feed.position} live=${r.feed.isLive} last=${r.statuses.at(-1)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('SIGKILL of one of two API processes with 2,000 readers on it', () => {
  it('every reader reconnects to the other and converges with 0 missed events', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Failover' }, base: url(0) });
    const readers: FeedReader[] = [];
    for (let i = 0; i < READERS; i++) {
      // Every reader starts on the node that will be killed.
      const socket: ReaderSocket = connect(url(0), {
        transports: ['websocket'],
        reconnectionDelay: 200,
        reconnectionDelayMax: 2_000,
        randomizationFactor: 0.5,
      });
      socket.io.on('reconnect_attempt', () => {
        (socket.io as unknown as { uri: string }).uri = url(1);
      });
      sockets.push(socket);
      readers.push(feedReader(socket, url(1), story.id, 0));
    }
    await eventually(() => readers.every((r) => r.feed.isLive), 'all readers live', 60_000);
    for (let i = 0; i < 20; i++) await post(story.id, `before-${i}`, 0);
    await eventually(() => readers.every((r) => r.feed.position === 20), 'everyone at 20', 30_000);

    apis[0]!.kill('SIGKILL');
    expect((await apis[0]!.exited).signal).toBe('SIGKILL');
    const killedAt = Date.now();
    await Promise.all(Array.from({ length: 30 }, (_, i) => post(story.id, `after-${i}`, 1)));

    const deadline = killedAt + 10_000;
    try {
      await eventually(
        () => readers.every((r) => r.feed.position === 50 && r.feed.isLive),
        'all 2,000 readers converged',
        Math.max(0, deadline - Date.now()),
      );
    } catch (error) {
      console.log('readers by position/live/connected:', summarize(readers));
      throw error;
    }
    console.log(`2,000 readers converged ${Date.now() - killedAt} ms after the kill`);
    for (const reader of readers) expect(reader.events.map((e) => e.seq)).toEqual(seqRange(1, 50));
    expect(readers.every((r) => r.statuses.includes('reconnecting'))).toBe(true);
  }, 180_000);
});
