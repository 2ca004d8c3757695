/**
 * A private redis-server on a free loopback port (never a developer's 6379), with AOF on and no
 * RDB snapshots: `npm start`'s Redis, the test run's and each bench scenario's.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, isRunning, sleep, spawnProgram, stopChild, type NodeProcess } from './processes.ts';

export interface RedisServerOptions {
  appendfsync?: 'always' | 'everysec' | 'no';
  port?: number;
  /** Its data folder (created if missing); default: a new temp folder. */
  dir?: string;
  /** Redis writes its log here; default: kept in memory, and shown if it fails to start. */
  logFile?: string;
  /** Its own process group, so a terminal's Ctrl-C does not stop it before the processes using it. */
  detached?: boolean;
  readyTimeoutMs?: number;
  /** `requirepass` (and `masterauth`, for replicas); the handle's url then carries it. */
  password?: string;
  /** More redis-server arguments (replicaof, cluster-enabled, …), after the defaults. */
  extraArgs?: string[];
  /** Told of every redis-server process as soon as it is spawned, before it is ready. */
  onSpawn?: (proc: NodeProcess) => void;
}

export interface RedisServerHandle {
  url: string;
  port: number;
  dir: string;
  proc: NodeProcess;
  /** SIGTERM (a clean shutdown that writes the AOF) or SIGKILL; resolves when the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a new redis-server on the same port and data folder. */
  restart(): Promise<void>;
  /** Stops it and deletes its data folder. */
  remove(): Promise<void>;
}

/** One short-lived connection to a loopback server (a cluster node, a sentinel), for a harness's own commands. */
export async function withRedisClient<T>(
  port: number,
  password: string | undefined,
  use: (client: Redis) => Promise<T>,
): Promise<T> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, password });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await use(client);
  } finally {
    client.disconnect();
  }
}

/** Ready means it answers PING and has finished reading its AOF back. */
export async function redisAnswers(url: string): Promise<boolean> {
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

function redisArgs(port: number, dir: string, options: RedisServerOptions): string[] {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--dir', dir];
  args.push('--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'everysec', '--save', '');
  args.push('--loglevel', 'warning', '--daemonize', 'no');
  if (options.logFile) args.push('--logfile', options.logFile);
  if (options.password) args.push('--requirepass', options.password, '--masterauth', options.password);
  return [...args, ...(options.extraArgs ?? [])];
}

async function waitForRedis(url: string, proc: NodeProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await redisAnswers(url))) {
    if (!isRunning(proc.child)) {
      const how = proc.child.signalCode ?? `code ${proc.child.exitCode}`;
      throw new Error(`redis-server exited (${how}) before it was ready: ${proc.output().trim()}`);
    }
    if (Date.now() > deadline) throw new Error(`redis-server was not ready within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'stoppress-redis-'));
  mkdirSync(dir, { recursive: true });
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  const url = `redis://${auth}127.0.0.1:${port}`;
  const launch = async () => {
    const proc = spawnProgram('redis-server', redisArgs(port, dir, options), {
      output: options.logFile ? 'inherit' : 'capture',
      detached: options.detached,
    });
    options.onSpawn?.(proc);
    await waitForRedis(url, proc, options.readyTimeoutMs ?? 10_000);
    return proc;
  };
  const handle: RedisServerHandle = {
    url,
    port,
    dir,
    proc: await launch(),
    stop: (signal = 'SIGTERM') => stopChild(handle.proc.child, { signal, graceMs: 20_000 }),
    async restart() {
      await handle.stop();
      handle.proc = await launch();
    },
    async remove() {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
