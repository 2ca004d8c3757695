/**
 * Redis restarts and outages under real API and worker processes: writes fail fast with 503
 * while it is away, everything reconnects by itself, no update that got a 202 is lost, and
 * readers catch up.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { io as connect } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReaderSocket } from '../../client/lib/story-feed.ts';
import { loadConfig } from '../../src/config.ts';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { Redis } from 'ioredis';
import { freePort, spawnNode, waitForHttp, type NodeProcess } from '../../scripts/lib/processes.ts';
import { feedReader, seqRange } from '../helpers/readers.ts';
import { startRedisServer, type RedisServerHandle } from '../../scripts/lib/redis-server.ts';
import { eventually } from '../helpers/stack.ts';
import { processEnv } from '../helpers/test-config.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface System {
  redis: RedisServerHandle;
  base: string;
  token: string;
  api: NodeProcess;
  worker: NodeProcess;
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function startSystem(appendfsync: 'always' | 'everysec'): Promise<System> {
  const redis = await startRedisServer({ appendfsync });
  cleanups.push(() => redis.remove());
  const config = loadConfig({ REDIS_URL: redis.url, LOG_LEVEL: 'silent' });
  const client = new Redis(redis.url);
  const { token } = await createEditorStore(client, createKeys(config.keyPrefix)).add('fault-tester', 'admin');
  client.disconnect();
  const port = await freePort();
  const env = processEnv(config, { PORT: String(port), WRITE_RATE_PER_MINUTE: '1000000' });
  const api = spawnNode('src/main.ts', { env });
  const worker = spawnNode('workers/main.ts', { env });
  cleanups.push(() => {
    api.kill('SIGKILL');
    worker.kill('SIGKILL');
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`, api);
  return {
    redis,
    base,
    token,
    api,
    worker,
    async request(method, path, body) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // A write must be answered within a second, Redis or not.
        signal: AbortSignal.timeout(1_000),
      });
      return { status: response.status, body: await response.json() };
    },
  };
}

function reader(system: System, storyId: string) {
  const socket: ReaderSocket = connect(system.base, {
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  });
  cleanups.push(() => {
    socket.disconnect();
  });
  return feedReader(socket, system.base, storyId, 0);
}

/** Posts updates one after another until stopped; remembers which ones got a 202. */
function postContinuously(system: System, storyId: string) {
  const accepted: string[] = [];
  const refused: number[] = [];
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      try {
        const res = await system.request('POST', `/api/stories/${storyId}/updates`, { id: `p${i}`, body: `Post ${i}` });
        if (res.status === 202) accepted.push(`p${i}`);
        else refused.push(res.status);
      } catch {
        refused.push(0);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    accepted,
    refused,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

async function allUpdateIds(system: System, storyId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let before: string | null = null;
  do {
    const page = await system.request(
      'GET',
      `/api/stories/${storyId}/updates?limit=100${before ? `&before=${before}` : ''}`,
    );
    for (const u of page.body.updates) ids.add(u.id);
    before = page.body.next;
  } while (before);
  return ids;
}

describe('Redis unreachable', () => {
  it('writes answer 503 UNAVAILABLE within a second, /readyz says so, and service resumes by itself', async () => {
    const system = await startSystem('everysec');
    const { body: story } = await system.request('POST', '/api/stories', { title: 'Outage' });
    const live = reader(system, story.id);
    await eventually(() => live.feed.isLive, 'reader live');

    await system.redis.stop('SIGTERM');
    const write = await system.request('POST', `/api/stories/${story.id}/updates`, {
      id: 'during',
      body: 'While Redis is down',
    });
    expect(write.status).toBe(503);
    expect(write.body.error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/unreachable/) });
    const ready = await fetch(`${system.base}/readyz`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).checks.redis).not.toBe('ok');
    expect((await fetch(`${system.base}/healthz`)).status).toBe(200);
    // A reader arriving during the outage is refused for now, and keeps trying by itself.
    const late = reader(system, story.id);
    await eventually(
      () => late.statuses.includes('reconnecting') && !late.feed.isLive,
      'the late reader refused and retrying',
    );

    await system.redis.restart();
    await eventually(async () => (await fetch(`${system.base}/readyz`)).status === 200, 'ready again');
    await eventually(
      async () =>
        (await system.request('POST', `/api/stories/${story.id}/updates`, { id: 'after', body: 'Back' })).status ===
        202,
      'writes again',
    );
    await eventually(() => live.events.some((e) => e.update?.id === 'after'), 'the reader to get the new update');
    await eventually(
      () => late.feed.isLive && late.events.some((e) => e.update?.id === 'after'),
      'the late reader live and caught up',
    );
    expect(live.events.map((e) => e.seq)).toEqual(seqRange(1, live.events.length));
    expect(live.events.some((e) => e.update?.id === 'during')).toBe(false);
  }, 90_000);
});

describe('Redis losing its data', () => {
  it('tells readers to reload instead of leaving them silently behind', async () => {
    const system = await startSystem('everysec');
    const { body: story } = await system.request('POST', '/api/stories', { title: 'Wiped' });
    await system.request('POST', `/api/stories/${story.id}/updates`, { id: 'one', body: 'One' });
    const live = reader(system, story.id);
    await eventually(() => live.feed.position === 1, 'reader at seq 1');
    await system.redis.stop('SIGKILL');
    rmSync(system.redis.dir, { recursive: true, force: true });
    mkdirSync(system.redis.dir);
    await system.redis.restart();
    await eventually(() => live.reloads.length > 0, 'a reload signal', 30_000);
    expect(live.statuses.at(-1)).toBe('reload');
  }, 90_000);
});

describe.each([
  ['SIGTERM', 'everysec'],
  ['SIGKILL', 'always'],
] as const)('a Redis restart by %s (appendfsync %s) under a stream of posts', (signal, appendfsync) => {
  it('loses no update that got a 202; API, worker and readers carry on by themselves', async () => {
    const system = await startSystem(appendfsync);
    const { body: story } = await system.request('POST', '/api/stories', { title: `Restart ${signal}` });
    const live = reader(system, story.id);
    await eventually(() => live.feed.isLive, 'reader live');
    const poster = postContinuously(system, story.id);
    await eventually(() => poster.accepted.length >= 30, 'some posts accepted');

    await system.redis.stop(signal);
    await new Promise((r) => setTimeout(r, 500));
    await system.redis.restart();
    const acceptedAtRestart = poster.accepted.length;
    await eventually(
      () => poster.accepted.length >= acceptedAtRestart + 30,
      'posts accepted after the restart',
      60_000,
    );
    await poster.stop();

    await eventually(
      async () => {
        const ids = await allUpdateIds(system, story.id);
        return poster.accepted.every((id) => ids.has(id));
      },
      'every accepted post to be applied',
      60_000,
    );
    const ids = await allUpdateIds(system, story.id);
    expect(poster.accepted.filter((id) => !ids.has(id))).toEqual([]);
    expect(poster.refused.every((status) => status === 503 || status === 0)).toBe(true);

    const { body: current } = await system.request('GET', `/api/stories/${story.id}`);
    expect(current.epoch).toBe(story.epoch);
    await eventually(() => live.feed.position === current.lastSeq, 'the reader to catch up', 30_000);
    expect(live.events.map((e) => e.seq)).toEqual(seqRange(1, current.lastSeq));
    expect(live.reloads).toEqual([]);
    expect(system.api.child.exitCode).toBeNull();
    expect(system.worker.child.exitCode).toBeNull();
  }, 180_000);
});
