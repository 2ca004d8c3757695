/**
 * A private Stop Press for one scenario: its own redis-server on a free loopback port
 * (scripts/lib/redis-server.ts; never the Redis on 6379), the real API process (src/main.ts)
 * and, when asked, the real worker process (workers/main.ts), plus an editor token.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES } from '../../src/queue/jobs.ts';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys, type Keys } from '../../src/store/keys.ts';
import { freePort, waitForHttp } from '../../scripts/lib/processes.ts';
import { startRedisServer } from '../../scripts/lib/redis-server.ts';
import { waitUntil } from './clock.ts';
import { sendJson } from './http.ts';
import { atCleanup, exited, ROOT, spawnEntry, stopProcess, track } from './procs.ts';

export interface StackOptions {
  name: string;
  runDir: string;
  logLevel: string;
  worker: boolean;
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
  redisUrl: string;
  redis: Redis;
  keys: Keys;
  token: string;
  api: ApiProcess;
  worker: ChildProcess | null;
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

/** The worker has no HTTP port; it is ready once its BullMQ worker is registered in Redis. */
async function waitForWorker(redisUrl: string, worker: ChildProcess): Promise<void> {
  const queue = new Queue(QUEUES.storyOps, { connection: { url: redisUrl }, prefix: 'bench-bull' });
  try {
    await waitUntil(
      async () => {
        if (exited(worker)) throw new Error('the worker process exited; see its log in the run folder');
        return (await queue.getWorkersCount()) > 0;
      },
      'the worker',
      60_000,
      100,
    );
  } finally {
    await queue.close();
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  ensureClientBuilt();
  const server = await startRedisServer();
  track(server.proc.child);
  const forget = atCleanup(() => rmSync(server.dir, { recursive: true, force: true }));
  const keys = createKeys('bench:');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: server.url,
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
  const redis = new Redis(server.url);
  const worker = options.worker
    ? spawnEntry('workers/main.ts', env, join(options.runDir, `${options.name}-worker.log`), profile('worker'))
    : null;
  const api = await startApi();
  if (worker) await waitForWorker(server.url, worker);
  const { token } = await createEditorStore(redis, keys).add('bench', 'admin');
  const headers = { authorization: `Bearer ${token}` };

  return {
    redisUrl: server.url,
    redis,
    keys,
    token,
    api,
    worker,
    startApi,
    async createStory(title) {
      const response = await sendJson('POST', `${api.url}/api/stories`, { title }, headers);
      if (response.status !== 201) throw new Error(`create story: ${response.status} ${response.text}`);
      return JSON.parse(response.text) as { id: string; slug: string; lastSeq: number; epoch: string };
    },
    async postUpdate(storyId, body) {
      return (await sendJson('POST', `${api.url}/api/stories/${storyId}/updates`, body, headers)).status;
    },
    async lastSeq(storyId) {
      return Number(await redis.hget(keys.story(storyId).story, 'lastSeq'));
    },
    async close() {
      // Worker and APIs first (they finish their work and write their profiles), then Redis.
      await Promise.all([...apis, ...(worker ? [worker] : [])].map((child) => stopProcess(child)));
      redis.disconnect();
      await server.remove();
      forget();
    },
  };
}
