/**
 * `npm start`: runs everything locally with one command. Starts a private Redis unless REDIS_URL
 * is set, then the API and the worker; on Ctrl-C stops them first and Redis last, so their
 * graceful shutdown can still reach it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig, loadLauncherSettings } from '../src/config.ts';
import { ensureSystemPackage } from './system-packages.mjs';

const ROOT = dirname(import.meta.dirname);
const SETTINGS = loadLauncherSettings();
const LAUNCHER_REDIS_URL_FILE = SETTINGS.redisUrlFile;
const REDIS_DIR = join(SETTINGS.dataDir, 'redis');
// A file, not the terminal: Redis's startup banner and warnings would bury the URLs printed below.
const REDIS_LOG = join(REDIS_DIR, 'redis.log');
const REDIS_READY_TIMEOUT_MS = 60_000;
const HEALTH_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;
// npm and tsx each relay the terminal's SIGINT, so one Ctrl-C can arrive twice within milliseconds.
const DUPLICATE_SIGNAL_MS = 1_000;

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
}

const services: Child[] = [];
let redis: Child | undefined;
let stopping = false;
let firstSignalAt = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isRunning = (p: ChildProcess) => p.pid !== undefined && p.exitCode === null && p.signalCode === null;
const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function track(name: string, proc: ChildProcess, hint = ''): Child {
  const exited = new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.once('error', (err) => {
      console.error(`${name}: ${err.message}`);
      if (proc.pid === undefined) resolve();
    });
  });
  void exited.then(() => {
    if (stopping) return;
    console.error(
      `${name} exited unexpectedly (${proc.signalCode ?? `code ${proc.exitCode}`})${hint}; stopping the rest.`,
    );
    void shutdown(1);
  });
  return { name, process: proc, exited };
}

/** Ready means it answers PING and has finished reading its AOF back. */
async function redisReady(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG' && /^loading:0\b/m.test(await client.info('persistence'));
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Two redis-servers appending to one AOF would corrupt it, so a leftover one must go first. */
async function refuseLeftoverRedis(): Promise<void> {
  if (!existsSync(LAUNCHER_REDIS_URL_FILE)) return;
  const url = readFileSync(LAUNCHER_REDIS_URL_FILE, 'utf8').trim();
  if (url && (await redisReady(url))) {
    throw new Error(
      `a Redis started by an earlier \`npm start\` is still running at ${url} (is another \`npm start\` running?). ` +
        `Stop that one, or shut this Redis down with \`redis-cli -u ${url} shutdown\`, then retry.`,
    );
  }
  rmSync(LAUNCHER_REDIS_URL_FILE, { force: true });
}

async function startPrivateRedis(): Promise<string> {
  await refuseLeftoverRedis();
  ensureSystemPackage({ command: 'redis-server', apt: 'redis-server', brew: 'redis' });
  mkdirSync(REDIS_DIR, { recursive: true });
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--dir',
    REDIS_DIR,
    '--daemonize',
    'no',
    '--save',
    '',
    '--loglevel',
    'warning',
    '--logfile',
    REDIS_LOG,
  ];
  // Own process group, like the services: Ctrl-C must not stop Redis while they still need it.
  const proc = spawn('redis-server', args, { cwd: ROOT, stdio: 'inherit', detached: true });
  redis = track('Redis', proc, `, see ${REDIS_LOG}`);
  const deadline = Date.now() + REDIS_READY_TIMEOUT_MS;
  while (!(await redisReady(url))) {
    if (!isRunning(redis.process)) throw new Error(`redis-server exited before it was ready; see ${REDIS_LOG}`);
    if (Date.now() > deadline) throw new Error(`redis-server was not ready within ${REDIS_READY_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
  writeFileSync(LAUNCHER_REDIS_URL_FILE, `${url}\n`);
  console.log(`Started a private Redis at ${url} (data in ${REDIS_DIR}, AOF on)`);
  return url;
}

function spawnService(name: string, entry: string, env: NodeJS.ProcessEnv): Child {
  // Own process group: the terminal's Ctrl-C reaches only the launcher, which then stops things in order.
  const proc = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
    detached: true,
  });
  return track(name, proc);
}

async function waitForHealth(port: number): Promise<boolean> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  return false;
}

async function stopChild(child: Child): Promise<void> {
  if (isRunning(child.process)) child.process.kill('SIGTERM');
  const timer = setTimeout(() => {
    console.error(`${child.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it.`);
    child.process.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await child.exited;
  clearTimeout(timer);
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(services.map(stopChild));
  if (redis) {
    // SIGTERM makes Redis flush the AOF before it exits.
    await stopChild(redis);
    rmSync(LAUNCHER_REDIS_URL_FILE, { force: true });
  }
  process.exit(code);
}

function killNow(): never {
  console.error('Killing everything now.');
  for (const service of services) service.process.kill('SIGKILL');
  // Still SIGTERM: Redis stops in moments and keeps the last second of writes.
  if (redis) {
    redis.process.kill('SIGTERM');
    rmSync(LAUNCHER_REDIS_URL_FILE, { force: true });
  }
  process.exit(1);
}

function onSignal(signal: NodeJS.Signals): void {
  if (!stopping) {
    firstSignalAt = Date.now();
    const then = redis ? ', then Redis' : '';
    console.log(`\n${signal}: stopping the API and the worker${then}. Press Ctrl-C again to kill them at once.`);
    void shutdown(0);
  } else if (Date.now() - firstSignalAt > DUPLICATE_SIGNAL_MS) {
    killNow();
  }
}

function printWelcome(port: number, externalRedis: boolean): void {
  const base = `http://localhost:${port}`;
  const where = externalRedis ? 'in another terminal, with the same REDIS_URL' : 'in another terminal';
  console.log(
    [
      '',
      `Stop Press is running: API at ${base}`,
      `  Reader page   ${base}/stories/<slug>`,
      `  Dashboard     ${base}/admin`,
      `  API docs      ${base}/docs`,
      `  Demo          npm run demo   (plays a scripted story; then open the reader page it prints)`,
      `  Editor token  npm run editor -- add <name> [--role admin]`,
      `                (${where}; prints the token once, on its last line)`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  const externalUrl = SETTINGS.externalRedisUrl;
  const redisUrl = externalUrl ?? (await startPrivateRedis());
  const config = loadConfig({ ...process.env, REDIS_URL: redisUrl });
  if (config.port === 0)
    throw new Error('npm start needs a fixed PORT to check the API is up; PORT=0 is not supported');
  const env = { ...process.env, REDIS_URL: redisUrl };
  services.push(spawnService('API', 'src/main.ts', env), spawnService('Worker', 'workers/main.ts', env));
  if (await waitForHealth(config.port)) return printWelcome(config.port, externalUrl !== undefined);
  if (stopping) return;
  console.error(
    `The API did not answer http://127.0.0.1:${config.port}/healthz within ${HEALTH_TIMEOUT_MS / 1000} s; stopping.`,
  );
  await shutdown(1);
}

main().catch(async (err: unknown) => {
  if (stopping) return;
  console.error(`npm start: ${errorMessage(err)}`);
  await shutdown(1);
});
