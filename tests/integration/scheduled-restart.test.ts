/**
 * A scheduled post survives restarts of everything before its time: the API and worker processes
 * and Redis itself (SIGTERM, AOF). It is published once, at its time, to a reader of the new API.
 */
import { Redis } from 'ioredis';
import { io as connect } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReaderSocket } from '../../client/lib/story-feed.ts';
import { loadConfig } from '../../src/config.ts';
import type { StoryEvent, SubscribeAck } from '../../src/domain/events.ts';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { freePort, spawnNode, stopChild, waitForHttp, type NodeProcess } from '../../scripts/lib/processes.ts';
import { startRedisServer } from '../../scripts/lib/redis-server.ts';
import { eventually } from '../helpers/stack.ts';
import { processEnv } from '../helpers/test-config.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** How far ahead the post is scheduled: room for three restarts on a loaded machine. */
const AHEAD_MS = 20_000;

describe('a scheduled post across restarts', () => {
  it('is published once after Redis, the worker and the API restart before its time', async () => {
    const redis = await startRedisServer({ appendfsync: 'everysec' });
    cleanups.push(() => redis.remove());
    const config = loadConfig({ REDIS_URL: redis.url, LOG_LEVEL: 'silent' });
    const client = new Redis(redis.url);
    const { token } = await createEditorStore(client, createKeys(config.keyPrefix)).add('restarter', 'admin');
    client.disconnect();
    const port = await freePort();
    const env = processEnv(config, { PORT: String(port) });
    const base = `http://127.0.0.1:${port}`;
    const running: NodeProcess[] = [];
    const start = (entry: string) => {
      const proc = spawnNode(entry, { env });
      running.push(proc);
      return proc;
    };
    cleanups.push(() => running.forEach((proc) => proc.kill('SIGKILL')));
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };

    let api = start('src/main.ts');
    let worker = start('workers/main.ts');
    await waitForHttp(`${base}/healthz`, api);
    const story = (await call('POST', '/api/stories', { title: 'Restarts' })).body as { id: string };
    const publishAt = new Date(Date.now() + AHEAD_MS).toISOString();
    const scheduled = await call('POST', `/api/stories/${story.id}/updates`, {
      id: 'survivor',
      body: 'Still here',
      publishAt,
    });
    expect(scheduled.body.status).toBe('scheduled');

    await stopChild(worker.child);
    await stopChild(api.child);
    await redis.stop('SIGTERM');
    await redis.restart();
    api = start('src/main.ts');
    worker = start('workers/main.ts');
    await waitForHttp(`${base}/healthz`, api);
    const restartedBeforeTime = Date.now() < Date.parse(publishAt);
    console.log(`restarts done ${Date.parse(publishAt) - Date.now()} ms before the time`);

    const socket: ReaderSocket = connect(base, { transports: ['websocket'] });
    cleanups.push(() => void socket.disconnect());
    const arrivals: { event: StoryEvent; at: number }[] = [];
    socket.on('story-event', (event) => arrivals.push({ event, at: Date.now() }));
    await new Promise<SubscribeAck>((resolve) => socket.emit('subscribe', { storyId: story.id } as never, resolve));
    if (restartedBeforeTime) {
      const listed = await call('GET', `/api/stories/${story.id}/updates?status=scheduled`);
      expect(listed.body.updates.map((u: { id: string }) => u.id)).toEqual(['survivor']);
    }

    await eventually(() => arrivals.length > 0, 'the scheduled event', AHEAD_MS + 30_000);
    expect(arrivals[0]!.at).toBeGreaterThanOrEqual(Date.parse(publishAt));
    expect(arrivals[0]!.event).toMatchObject({ type: 'update.created', update: { id: 'survivor' } });
    await new Promise((r) => setTimeout(r, 1_000));
    const events = (await call('GET', `/api/stories/${story.id}/events`)).body.events as StoryEvent[];
    expect(events.map((e) => [e.type, e.update?.id])).toEqual([['update.created', 'survivor']]);
    expect(restartedBeforeTime).toBe(true);
  }, 120_000);
});
