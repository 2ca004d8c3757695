/**
 * `npm start`: runs everything locally with one command. Starts a private Redis unless REDIS_URL
 * (or REDIS_SENTINELS, or REDIS_CLUSTER_NODES)
 * is set, then the API and the worker; on Ctrl-C stops them first and Redis last, so their
 * graceful shutdown can still reach it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { loadLauncherSettings, readLauncherRedisUrl } from './lib/launcher-settings.ts';
import { freePort, spawnNode, stopChild, waitForHttp, type NodeProcess } from './lib/processes.ts';
import { redisAnswers, startRedisServer } from './lib/redis-server.ts';
import { ensureSystemPackage } from './system-packages.mjs';

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
  proc: NodeProcess;
}

const services: Child[] = [];
let redis: Child | undefined;
let stopping = false;
let firstSignalAt = 0;

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Any of them exiting on its own stops the rest. */
function track(name: string, proc: NodeProcess, hint = ''): Child {
  void proc.exited.then(() => {
    if (stopping) return;
    const how = proc.child.signalCode ?? `code ${proc.child.exitCode}`;
    console.error(`${name} exited unexpectedly (${how})${hint}; stopping the rest.${proc.output()}`);
    void shutdown(1);
  });
  return { name, proc };
}

/** Two redis-servers appending to one AOF would corrupt it, so a leftover one must go first. */
async function refuseLeftoverRedis(): Promise<void> {
  const url = readLauncherRedisUrl(SETTINGS);
  if (url && (await redisAnswers(url))) {
    throw new Error(
      `a Redis started by an earlier \`npm start\` is still running at ${url} (is another \`npm start\` running?). ` +
        `Stop that one, or shut this Redis down with \`redis-cli -u ${url} shutdown\`, then retry.`,
    );
  }
  rmSync(LAUNCHER_REDIS_URL_FILE, { force: true });
}

/** A free port that is not the API's: probing frees a port, so the two could otherwise meet. */
async function redisPort(): Promise<number> {
  const apiPort = Number(process.env.PORT ?? 3000);
  let port = await freePort();
  while (port === apiPort) port = await freePort();
  return port;
}

async function startPrivateRedis(): Promise<string> {
  await refuseLeftoverRedis();
  ensureSystemPackage({ command: 'redis-server', apt: 'redis-server', brew: 'redis' });
  mkdirSync(REDIS_DIR, { recursive: true });
  const server = await startRedisServer({
    port: await redisPort(),
    dir: REDIS_DIR,
    logFile: REDIS_LOG,
    // Own process group, like the services: Ctrl-C must not stop Redis while they still need it.
    detached: true,
    readyTimeoutMs: REDIS_READY_TIMEOUT_MS,
    onSpawn: (proc) => (redis = track('Redis', proc, `, see ${REDIS_LOG}`)),
  }).catch((err: unknown) => {
    throw new Error(`${errorMessage(err)}; see ${REDIS_LOG}`);
  });
  writeFileSync(LAUNCHER_REDIS_URL_FILE, `${server.url}\n`);
  console.log(`Started a private Redis at ${server.url} (data in ${REDIS_DIR}, AOF on)`);
  return server.url;
}

function spawnService(name: string, entry: string, env: NodeJS.ProcessEnv): Child {
  // Own process group: the terminal's Ctrl-C reaches only the launcher, which then stops things in order.
  return track(name, spawnNode(entry, { env, output: 'inherit', detached: true }));
}

function stop(child: Child): Promise<void> {
  return stopChild(child.proc.child, {
    graceMs: STOP_TIMEOUT_MS,
    onKill: () => console.error(`${child.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it.`),
  });
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(services.map(stop));
  if (redis) {
    // SIGTERM makes Redis flush the AOF before it exits.
    await stop(redis);
    rmSync(LAUNCHER_REDIS_URL_FILE, { force: true });
  }
  process.exit(code);
}

function killNow(): never {
  console.error('Killing everything now.');
  for (const service of services) service.proc.kill('SIGKILL');
  // Still SIGTERM: Redis stops in moments and keeps the last second of writes.
  if (redis) {
    redis.proc.kill('SIGTERM');
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

function printWelcome(port: number, externalRedis: string | undefined): void {
  const base = `http://localhost:${port}`;
  const where = externalRedis ? `in another terminal, with the same ${externalRedis}` : 'in another terminal';
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
  const external = SETTINGS.externalRedis;
  // Explicitly: the API and the worker read no file to find Redis. Photos live beside the Redis data.
  const env = {
    MEDIA_DIR: join(SETTINGS.dataDir, 'media'),
    ...process.env,
    ...(external ? {} : { REDIS_URL: await startPrivateRedis() }),
  };
  const config = loadConfig(env);
  if (config.port === 0)
    throw new Error('npm start needs a fixed PORT to check the API is up; PORT=0 is not supported');
  const api = spawnService('API', 'src/main.ts', env);
  services.push(api, spawnService('Worker', 'workers/main.ts', env));
  const health = `http://127.0.0.1:${config.port}/healthz`;
  try {
    await waitForHttp(health, api.proc, { timeoutMs: HEALTH_TIMEOUT_MS, intervalMs: 250 });
  } catch {
    if (stopping) return; // it exited, and track() is already stopping the rest
    console.error(`The API did not answer ${health} within ${HEALTH_TIMEOUT_MS / 1000} s; stopping.`);
    return shutdown(1);
  }
  printWelcome(config.port, external);
}

main().catch(async (err: unknown) => {
  if (stopping) return;
  console.error(`npm start: ${errorMessage(err)}`);
  await shutdown(1);
});
