/**
 * A primary, its replicas and the sentinels watching them, all on free loopback ports: the
 * Sentinel setup of the tests and the benchmarks. Sentinel is `redis-server --sentinel`, from the
 * same Debian package as redis-server. Timeouts are short so a failover takes seconds, not a minute.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, sleep, spawnProgram, stopChild, type NodeProcess } from './processes.ts';
import { startRedisServer, withRedisClient, type RedisServerHandle } from './redis-server.ts';

export interface SentinelSetOptions {
  replicas?: number;
  sentinels?: number;
  name?: string;
  /** How long a primary is silent before the sentinels call it down. */
  downAfterMs?: number;
  /** The data nodes' password (REDIS_PASSWORD). */
  password?: string;
  /** The sentinels' own password (REDIS_SENTINEL_PASSWORD). */
  sentinelPassword?: string;
}

export interface SentinelProcess {
  port: number;
  proc: NodeProcess;
}

export interface SentinelSet {
  name: string;
  /** Every data node, the first being the primary at the start. */
  servers: RedisServerHandle[];
  sentinels: SentinelProcess[];
  /** REDIS_SENTINELS and REDIS_SENTINEL_NAME for a process using this set. */
  env: Record<string, string> & { REDIS_SENTINELS: string; REDIS_SENTINEL_NAME: string };
  /** The data node the sentinels name as primary now. */
  primary(): Promise<RedisServerHandle>;
  /** Stops everything and deletes the data. */
  remove(): Promise<void>;
}

let sentinelAuth: string | undefined;

const askSentinel = <T>(port: number, use: (client: Redis) => Promise<T>): Promise<T> =>
  withRedisClient(port, sentinelAuth, use);

function sentinelConfig(port: number, name: string, primaryPort: number, options: SentinelSetOptions): string {
  const downAfterMs = options.downAfterMs ?? 1_000;
  return [
    ...(options.sentinelPassword ? [`requirepass ${options.sentinelPassword}`] : []),
    `port ${port}`,
    'bind 127.0.0.1',
    'daemonize no',
    'loglevel warning',
    `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
    ...(options.password ? [`sentinel auth-pass ${name} ${options.password}`] : []),
    `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
    `sentinel failover-timeout ${name} ${Math.max(downAfterMs * 4, 4_000)}`,
    `sentinel parallel-syncs ${name} 1`,
    '',
  ].join('\n');
}

async function startSentinel(dir: string, name: string, primaryPort: number, options: SentinelSetOptions) {
  const port = await freePort();
  const file = join(dir, `sentinel-${port}.conf`);
  writeFileSync(file, sentinelConfig(port, name, primaryPort, options));
  return { port, proc: spawnProgram('redis-server', [file, '--sentinel'], { output: 'capture' }) };
}

/** Until every sentinel sees every replica and the other sentinels, a failover could not be agreed. */
async function waitUntilWatched(set: { name: string; sentinels: SentinelProcess[] }, replicas: number) {
  const deadline = Date.now() + 30_000;
  for (const { port } of set.sentinels) {
    for (;;) {
      const seen = await askSentinel(port, async (client) => {
        const knownReplicas = (await client.call('SENTINEL', 'REPLICAS', set.name)) as unknown[];
        const knownSentinels = (await client.call('SENTINEL', 'SENTINELS', set.name)) as unknown[];
        return knownReplicas.length >= replicas && knownSentinels.length >= set.sentinels.length - 1;
      }).catch(() => false);
      if (seen) break;
      if (Date.now() > deadline) throw new Error(`sentinel ${port} did not see the whole set within 30 s`);
      await sleep(100);
    }
  }
}

async function waitForReplicaSync(primary: RedisServerHandle, replicas: number): Promise<void> {
  const client = new Redis(primary.url);
  try {
    const deadline = Date.now() + 30_000;
    while ((await client.info('replication')).match(/state=online/g)?.length !== replicas) {
      if (Date.now() > deadline) throw new Error('the replicas did not sync within 30 s');
      await sleep(50);
    }
  } finally {
    client.disconnect();
  }
}

export async function startSentinelSet(options: SentinelSetOptions = {}): Promise<SentinelSet> {
  const name = options.name ?? 'stoppress';
  const replicaCount = options.replicas ?? 2;
  const { password } = options;
  sentinelAuth = options.sentinelPassword;
  const dir = mkdtempSync(join(tmpdir(), 'stoppress-sentinel-'));
  const first = await startRedisServer({ dir: join(dir, 'node-0'), password });
  const servers = [first];
  for (let i = 1; i <= replicaCount; i++) {
    const extraArgs = ['--replicaof', '127.0.0.1', String(first.port)];
    servers.push(await startRedisServer({ dir: join(dir, `node-${i}`), extraArgs, password }));
  }
  await waitForReplicaSync(first, replicaCount);
  const sentinels: SentinelProcess[] = [];
  for (let i = 0; i < (options.sentinels ?? 3); i++)
    sentinels.push(await startSentinel(dir, name, first.port, options));
  await waitUntilWatched({ name, sentinels }, replicaCount);

  return {
    name,
    servers,
    sentinels,
    env: {
      REDIS_SENTINELS: sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
      REDIS_SENTINEL_NAME: name,
      ...(password && { REDIS_PASSWORD: password }),
      ...(options.sentinelPassword && { REDIS_SENTINEL_PASSWORD: options.sentinelPassword }),
    },
    async primary() {
      const [, port] = await askSentinel(sentinels[0]!.port, (client) =>
        client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name),
      ).then((reply) => reply as [string, string]);
      const server = servers.find((s) => s.port === Number(port));
      if (!server) throw new Error(`the sentinels name an unknown primary on port ${port}`);
      return server;
    },
    async remove() {
      await Promise.all(sentinels.map((s) => stopChild(s.proc.child, { signal: 'SIGKILL' })));
      await Promise.all(servers.map((s) => s.stop('SIGKILL')));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
