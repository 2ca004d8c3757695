/**
 * A private Stop Press for one scenario: its own Redis on free loopback ports (one redis-server,
 * or a Redis Cluster of 3 primaries with a replica each; never the Redis on 6379), the real API
 * process (src/main.ts) and, when asked, real worker processes (workers/main.ts), plus an editor
 * token.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { QUEUES } from '../../src/queue/jobs.ts';
import { bullmqConnection, closeRedis, createRedis, type RedisClient } from '../../src/redis/connections.ts';
import type { RedisTopology } from '../../src/redis/topology.ts';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys, type Keys } from '../../src/store/keys.ts';
import { freePort, waitForHttp } from '../../scripts/lib/processes.ts';
import { sleep, waitUntil } from './clock.ts';
import { sendJson } from './http.ts';
import { exited, ROOT, spawnEntry, stopProcess } from './procs.ts';
import { startStackRedis, type StackRedisKind } from './stack-redis.ts';

export interface StackOptions {
  name: string;
  runDir: string;
  logLevel: string;
  worker: boolean;
  /** Worker processes when `worker` is set (default 1). */
  workers?: number;
  /** One redis-server (default) or a Redis Cluster. */
  redis?: StackRedisKind;
  /** Write V8 CPU profiles of the API and worker here (node --cpu-prof). */
  profileDir?: string;
  env?: Record<string, string>;
}

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  pid: number;
}

export interface Stack {
  /** The one redis-server's URL; on a cluster, a seed node's (clients use `topology`). */
  redisUrl: string;
  topology: RedisTopology;
  /** QUEUE_PREFIX as the processes use it (in braces on a cluster). */
  queuePrefix: string;
  redis: RedisClient;
  keys: Keys;
  token: string;
  api: ApiProcess;
  /** The first worker process, if any. */
  worker: ChildProcess | null;
  workers: ChildProcess[];
  /** Another API process on the same Redis (e.g. at another log level). */
  startApi(env?: Record<string, string>, tag?: string): Promise<ApiProcess>;
  createStory(title: string): Promise<{ id: string; slug: string; lastSeq: number; epoch: string }>;
  postUpdate(storyId: string, body: Record<string, unknown>): Promise<number>;
  lastSeq(storyId: string): Promise<number>;
  close(): Promise<void>;
}

const MANIFEST = join(ROOT, 'client', 'dist', '.vite', 'manifest.json');

/** The API refuses to start without the browser bundles; build them once, as npm start does. */
function ensureClientBuilt(): void {
  if (existsSync(MANIFEST)) return;
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'client/vite.config.ts'],
    { cwd: ROOT, stdio: 'ignore' },
  );
}

function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const output = () => `log ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`;
  return waitForHttp(`${url}/healthz`, { child, output }, { timeoutMs: 60_000, intervalMs: 50 });
}

/** A BullMQ queue of the stack, for a scenario to pause, resume or count; `close` closes its connection too. */
export function openQueue(topology: RedisTopology, name: string, prefix: string) {
  const { connection, owned } = bullmqConnection(topology, 'worker');
  const queue = new Queue(name, { connection, prefix });
  const close = async () => {
    await queue.close();
    await Promise.all(owned.map(closeRedis));
  };
  return { queue, close };
}

/** A worker has no HTTP port; the workers are ready once their BullMQ workers are registered in Redis. */
async function waitForWorkers(topology: RedisTopology, prefix: string, workers: ChildProcess[]): Promise<void> {
  const { queue, close } = openQueue(topology, QUEUES.storyOps, prefix);
  try {
    await waitUntil(
      async () => {
        if (workers.some(exited)) throw new Error('a worker process exited; see its log in the run folder');
        return (await queue.getWorkersCount()) >= workers.length;
      },
      'the workers',
      60_000,
      100,
    );
  } finally {
    await close();
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  ensureClientBuilt();
  const redisSet = await startStackRedis(options.redis ?? 'single');
  const keys = createKeys('bench:');
  const config = loadConfig({ ...redisSet.env, KEY_PREFIX: keys.prefix, QUEUE_PREFIX: 'bench-bull' });
  const { REDIS_URL: _url, REDIS_SENTINELS: _sentinels, REDIS_CLUSTER_NODES: _nodes, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    ...redisSet.env,
    KEY_PREFIX: keys.prefix,
    QUEUE_PREFIX: 'bench-bull',
    HOST: '127.0.0.1',
    LOG_LEVEL: options.logLevel,
    // The per-editor write limit (600/min by default) would turn a load test into a 429 test;
    // the limit's Redis round trip per write is still paid.
    WRITE_RATE_PER_MINUTE: '1000000',
    ...options.env,
  };
  // One folder per process: tsx's loader thread writes a profile too, under the same process.
  const profile = (who: string): string[] =>
    options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(options.profileDir, `${options.name}-${who}`)] : [];
  const apis: ChildProcess[] = [];
  const startApi = async (extra: Record<string, string> = {}, tag = 'api'): Promise<ApiProcess> => {
    const port = await freePort();
    const logFile = join(options.runDir, `${options.name}-${tag}.log`);
    const child = spawnEntry('src/main.ts', { ...env, ...extra, PORT: String(port) }, logFile, profile(tag));
    apis.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, child, logFile);
    return { url, child, pid: child.pid! };
  };
  const redis = createRedis(config.redis.topology, pino({ level: 'silent' }), 'bench');
  const workerCount = options.worker ? (options.workers ?? 1) : 0;
  const workers = Array.from({ length: workerCount }, (_, i) => {
    const tag = i === 0 ? 'worker' : `worker${i + 1}`;
    return spawnEntry('workers/main.ts', env, join(options.runDir, `${options.name}-${tag}.log`), profile(tag));
  });
  const api = await startApi();
  if (workers.length > 0) await waitForWorkers(config.redis.topology, config.queuePrefix, workers);
  const { token } = await createEditorStore(redis, keys).add('bench', 'admin');
  const headers = { authorization: `Bearer ${token}` };

  return {
    redisUrl: redisSet.url,
    topology: config.redis.topology,
    queuePrefix: config.queuePrefix,
    redis,
    keys,
    token,
    api,
    worker: workers[0] ?? null,
    workers,
    startApi,
    async createStory(title) {
      // A 503 says "retry in a moment", as a client would (a loaded machine can delay Redis past
      // the request connection's timeout).
      for (let attempt = 1; ; attempt++) {
        const response = await sendJson('POST', `${api.url}/api/stories`, { title }, headers);
        if (response.status === 201)
          return JSON.parse(response.text) as { id: string; slug: string; lastSeq: number; epoch: string };
        if (response.status !== 503 || attempt === 5)
          throw new Error(`create story: ${response.status} ${response.text}`);
        await sleep(500);
      }
    },
    async postUpdate(storyId, body) {
      return (await sendJson('POST', `${api.url}/api/stories/${storyId}/updates`, body, headers)).status;
    },
    async lastSeq(storyId) {
      return Number(await redis.hget(keys.story(storyId).story, 'lastSeq'));
    },
    async close() {
      // Worker and APIs first (they finish their work and write their profiles), then Redis.
      await Promise.all([...apis, ...workers].map((child) => stopProcess(child)));
      redis.disconnect();
      await redisSet.remove();
    },
  };
}
