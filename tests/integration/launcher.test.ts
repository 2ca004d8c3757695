/**
 * `npm start` as a newcomer runs it: a private Redis with AOF under DATA_DIR, the API and the
 * worker; Ctrl-C stops everything with exit 0, and the next start finds the data again. The API
 * and the worker get REDIS_URL from the launcher; on their own they never read DATA_DIR/redis.url.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  freePort,
  ROOT,
  sleep,
  spawnNode,
  stopChild,
  waitForOutput,
  type NodeProcess,
} from '../../scripts/lib/processes.ts';
import { eventually } from '../helpers/stack.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'stoppress-launcher-'));
const running: NodeProcess[] = [];

afterAll(async () => {
  // SIGTERM first: the launcher's Redis, API and worker run in process groups of their own, and
  // only the launcher stops them; a SIGKILL would leave them running after a failed test.
  await Promise.all(running.map((proc) => stopChild(proc.child, { graceMs: 25_000 })));
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

function launcherEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' };
  delete env.REDIS_URL;
  return env;
}

async function startLauncher(port: number) {
  const launcher = spawnNode('scripts/start.ts', { env: launcherEnv(port) });
  running.push(launcher);
  await waitForOutput(launcher, 'Stop Press is running', { timeoutMs: 60_000 });
  return { child: launcher.child, exited: launcher.exited.then((exit) => exit.code), output: launcher.output };
}

async function api(port: number, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('npm start', () => {
  it('runs Redis, API and worker; Ctrl-C stops them cleanly; the next start finds every story and update', async () => {
    const port = await freePort();
    const first = await startLauncher(port);
    expect(first.output()).toMatch(/Started a private Redis at redis:\/\/127\.0\.0\.1:\d+/);
    expect(first.output()).toContain(`http://localhost:${port}/admin`);
    expect(first.output()).toContain('npm run editor -- add <name>');
    expect(existsSync(join(dataDir, 'redis.url'))).toBe(true);

    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/editor.ts', 'add', 'alice', '--role', 'admin'],
      { cwd: ROOT, env: launcherEnv(port), encoding: 'utf8' },
    );
    expect(cli.status).toBe(0);
    const token = cli.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^sp_/);

    const story = await api(port, 'POST', '/api/stories', token, { title: 'Survives restarts' });
    expect(story.status).toBe(201);
    expect(
      (await api(port, 'POST', `/api/stories/${story.body.id}/updates`, token, { id: 'kept', body: 'Still here' }))
        .status,
    ).toBe(202);
    await eventually(
      async () => (await api(port, 'GET', `/api/stories/${story.body.id}`)).body.lastSeq === 1,
      'update applied',
    );

    const demo = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--fast'], {
      cwd: ROOT,
      env: launcherEnv(port),
      encoding: 'utf8',
    });
    expect(demo.status, demo.stderr).toBe(0);
    const readerUrl = /Reader page\s+(\S+)/.exec(demo.stdout)![1]!;
    expect(demo.stdout).toContain(`http://localhost:${port}/admin`);
    const demoSlug = readerUrl.split('/stories/')[1]!;
    const demoUpdates = await eventually(async () => {
      const list = await api(port, 'GET', `/api/stories/${demoSlug}/updates`);
      return list.body.updates?.length === 6
        ? (list.body.updates as { id: string; pinned: boolean; keyEvent: boolean; editedAt?: string }[])
        : null;
    }, 'the demo updates');
    expect(demoUpdates.map((u) => u.id).sort()).toEqual(['d1', 'd2', 'd3', 'd4', 'd6', 'd7']);
    expect(demoUpdates.find((u) => u.id === 'd3')!.editedAt).toEqual(expect.any(String));
    expect(demoUpdates.find((u) => u.id === 'd4')!.pinned).toBe(true);
    expect(demoUpdates.find((u) => u.id === 'd6')!.keyEvent).toBe(true);
    expect((await fetch(readerUrl.replace('localhost', '127.0.0.1'))).status).toBe(200);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, 'redis.url'))).toBe(false);
    expect(existsSync(join(dataDir, 'redis', 'appendonlydir'))).toBe(true);

    const second = await startLauncher(port);
    const updates = await api(port, 'GET', `/api/stories/${story.body.slug}/updates`);
    expect(updates.body.updates.map((u: { id: string; body: string }) => [u.id, u.body])).toEqual([
      ['kept', 'Still here'],
    ]);
    expect((await api(port, 'POST', '/api/stories', token, { title: 'Token still valid' })).status).toBe(201);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);

  it.each([
    [
      '`npm run start:api` in development',
      'src/main.ts',
      {},
      /no Redis is configured .*\. Run everything with `npm start`/,
    ],
    [
      'a production worker',
      'workers/main.ts',
      { NODE_ENV: 'production' },
      /no Redis is configured, and NODE_ENV=production requires one: set REDIS_URL/,
    ],
  ])(
    '%s without REDIS_URL refuses to start, although DATA_DIR/redis.url names a live Redis',
    async (_name, entry, extra, pattern) => {
      const dir = mkdtempSync(join(tmpdir(), 'stoppress-no-redis-url-'));
      try {
        writeFileSync(join(dir, 'redis.url'), `${inject('redisUrl')}\n`);
        const env: NodeJS.ProcessEnv = { ...launcherEnv(await freePort()), DATA_DIR: dir, ...extra };
        const proc = spawnNode(entry, { env });
        running.push(proc);
        const outcome = await Promise.race([proc.exited, sleep(20_000).then(() => 'still running')]);
        expect(outcome, proc.output()).toEqual({ code: 1, signal: null });
        expect(proc.output()).toMatch(pattern);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
