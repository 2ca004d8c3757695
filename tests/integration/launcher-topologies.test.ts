/**
 * The launchers on a distributed Redis: `npm run start:api` + `npm run start:worker`, and the
 * `npm start` launcher (scripts/start.ts), with REDIS_SENTINELS and REDIS_SENTINEL_NAME set, and
 * with REDIS_CLUSTER_NODES set. Each starts no private Redis, says which Redis it uses, answers
 * /healthz, and a post reaches a reader.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  spawnNode,
  spawnProgram,
  stopChild,
  waitForHttp,
  waitForOutput,
  type NodeProcess,
} from '../../scripts/lib/processes.ts';
import { startRedisCluster, type RedisCluster } from '../../scripts/lib/redis-cluster.ts';
import { startSentinelSet, type SentinelSet } from '../../scripts/lib/redis-sentinel-set.ts';
import type { Config } from '../../src/config.ts';
import { feedReader } from '../helpers/readers.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { processEnv, testConfig } from '../helpers/test-config.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'stoppress-launcher-topologies-'));
const running: NodeProcess[] = [];
const groups: NodeProcess[] = [];
let set: SentinelSet;

beforeAll(async () => {
  set = await startSentinelSet({ replicas: 1, sentinels: 3 });
}, 60_000);

afterAll(async () => {
  await Promise.all(running.map((proc) => stopChild(proc.child, { graceMs: 25_000 })));
  await Promise.all(groups.map((proc) => stopGroup(proc, 'SIGKILL').catch(() => undefined)));
  await set?.remove();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

function launchEnv(config: Config, port: number): NodeJS.ProcessEnv {
  // LOG_LEVEL info: the line that says which Redis the process uses is an info line.
  return processEnv(config, { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' });
}

/** `npm run <script>` in a process group of its own, so that stopping it stops what npm started. */
function npmRun(script: string, env: NodeJS.ProcessEnv): NodeProcess {
  const proc = spawnProgram('npm', ['run', '--silent', script], { env, detached: true });
  groups.push(proc);
  return proc;
}

async function stopGroup(proc: NodeProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (proc.child.pid && proc.child.exitCode === null && proc.child.signalCode === null) {
    process.kill(-proc.child.pid, signal);
  }
  await proc.exited;
}

/** A story, a reader on the node, one post: the reader receives it. */
async function postReachesReader(stack: Stack, base: string): Promise<void> {
  const created = await stack.request('POST', '/api/stories', { body: { title: 'Launched' }, base });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const story = created.body;
  const reader = feedReader(stack.reader(base), base, story.id, 0);
  await eventually(() => reader.feed.isLive, 'the reader live');
  const res = await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'u1', body: 'x' }, base });
  expect(res.status).toBe(202);
  await eventually(() => reader.feed.position === 1, 'the post at the reader');
  expect(reader.state.updates.get('u1')?.body).toBe('x');
}

function expectNoPrivateRedis(output: string): void {
  expect(output).not.toMatch(/Started a private Redis/);
  expect(existsSync(join(dataDir, 'redis.url'))).toBe(false);
}

/** The same two launches on any topology; `announce` is how the processes name its Redis. */
function describeLaunches(title: string, topologyEnv: () => Promise<Record<string, string>>, announce: RegExp) {
  describe(title, () => {
    let stack: Stack;
    let config: Config;

    beforeAll(async () => {
      config = testConfig({ REDIS_URL: '', ...(await topologyEnv()) });
      // Only the editor's token and the readers' sockets: the nodes are the launched processes.
      stack = await startStack({ apis: 0, workers: 0, config });
    }, 60_000);
    afterAll(async () => stack?.close());

    it('`npm run start:api` and `npm run start:worker` find their Redis and serve', async () => {
      const port = await freePort();
      const env = launchEnv(config, port);
      const api = npmRun('start:api', env);
      const worker = npmRun('start:worker', env);
      const base = `http://127.0.0.1:${port}`;
      await waitForHttp(`${base}/healthz`, api, { timeoutMs: 60_000 });
      await postReachesReader(stack, base);
      for (const proc of [api, worker]) {
        expect(proc.output()).toMatch(announce);
        expectNoPrivateRedis(proc.output());
      }
      await Promise.all([stopGroup(api), stopGroup(worker)]);
    }, 120_000);

    it('`npm start` (scripts/start.ts) starts no private Redis and runs the API and the worker on it', async () => {
      const port = await freePort();
      const launcher = spawnNode('scripts/start.ts', { env: launchEnv(config, port) });
      running.push(launcher);
      await waitForOutput(launcher, 'Stop Press is running', { timeoutMs: 60_000 });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      await postReachesReader(stack, `http://127.0.0.1:${port}`);
      expectNoPrivateRedis(launcher.output());
      expect(launcher.output()).toMatch(announce);
      launcher.kill('SIGTERM');
      expect((await launcher.exited).code).toBe(0);
    }, 120_000);
  });
}

let cluster: RedisCluster | undefined;
afterAll(async () => cluster?.remove());

describeLaunches(
  'on Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_NAME)',
  async () => set.env,
  /Sentinel master \\"stoppress\\" via 127\.0\.0\.1:\d+/,
);
describeLaunches(
  'on a Redis Cluster (REDIS_CLUSTER_NODES)',
  async () => (cluster = await startRedisCluster({ primaries: 3, replicasPerPrimary: 1 })).env,
  /Redis Cluster seeded by 127\.0\.0\.1:\d+/,
);
