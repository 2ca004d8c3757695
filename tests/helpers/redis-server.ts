/**
 * A private redis-server for tests, on a free loopback port with its data in a temp folder.
 * Never touches a developer's Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';

export interface RedisServerHandle {
  url: string;
  port: number;
  dir: string;
  process: ChildProcess;
  /** SIGTERM (a clean shutdown that writes the AOF) or SIGKILL; resolves when the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a new redis-server on the same port and data folder. */
  restart(): Promise<void>;
  remove(): Promise<void>;
}

export interface RedisServerOptions {
  appendfsync?: 'always' | 'everysec' | 'no';
  port?: number;
  dir?: string;
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') {
        // A restarted server answers LOADING until the AOF is read back.
        const info = await client.info('persistence');
        if (!/loading:1/.test(info)) return;
      }
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not start within 10 s');
}

function spawnRedis(port: number, dir: string, appendfsync: string): ChildProcess {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      appendfsync,
      '--save',
      '',
      '--protected-mode',
      'yes',
      '--loglevel',
      'warning',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return child;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'stoppress-redis-'));
  const appendfsync = options.appendfsync ?? 'everysec';
  const url = `redis://127.0.0.1:${port}`;
  const handle: RedisServerHandle = {
    url,
    port,
    dir,
    process: spawnRedis(port, dir, appendfsync),
    async stop(signal = 'SIGTERM') {
      const child = handle.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
    async restart() {
      await handle.stop();
      handle.process = spawnRedis(port, dir, appendfsync);
      await waitForPing(url, handle.process);
    },
    async remove() {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await waitForPing(url, handle.process);
  return handle;
}
