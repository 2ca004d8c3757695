import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';

/**
 * A Config for one test: the run's redis-server, and a key prefix and queue prefix of its own,
 * so tests never see each other's data.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  const id = randomBytes(4).toString('hex');
  return loadConfig({
    REDIS_URL: inject('redisUrl'),
    KEY_PREFIX: `t${id}:`,
    QUEUE_PREFIX: `tq${id}`,
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    // Load tests post faster than an editor would; the limit has a test of its own.
    WRITE_RATE_PER_MINUTE: '1000000',
    // Never the checkout's .data/: a photo a test uploads goes to a folder of its own.
    MEDIA_DIR: join(tmpdir(), `stoppress-test-media-${id}`),
    ...env,
  });
}

/** The URL of a config's Redis, for a test's own client (tests on one server only). */
export function redisUrlOf(config: Config): string {
  const { topology } = config.redis;
  if (topology.kind !== 'single') throw new Error(`a ${topology.kind} config has no single Redis URL`);
  return topology.url;
}

/** The variables that name a config's Redis, whichever topology it is. */
export function topologyEnv(config: Config): Record<string, string> {
  const { topology } = config.redis;
  const list = (nodes: readonly { host: string; port: number }[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');
  if (topology.kind === 'single') return { REDIS_URL: topology.url };
  const password: Record<string, string> = topology.password ? { REDIS_PASSWORD: topology.password } : {};
  if (topology.kind === 'cluster') return { REDIS_CLUSTER_NODES: list(topology.nodes), ...password };
  const sentinelPassword: Record<string, string> = topology.sentinelPassword
    ? { REDIS_SENTINEL_PASSWORD: topology.sentinelPassword }
    : {};
  return {
    REDIS_SENTINELS: list(topology.sentinels),
    REDIS_SENTINEL_NAME: topology.name,
    ...password,
    ...sentinelPassword,
  };
}

/** The environment for a spawned API or worker process with the same config. */
export function processEnv(config: Config, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { REDIS_URL: _u, REDIS_SENTINELS: _s, REDIS_CLUSTER_NODES: _c, ...inherited } = process.env;
  return {
    ...inherited,
    ...topologyEnv(config),
    REDIS_WAIT_REPLICAS: String(config.redis.waitReplicas),
    REDIS_WAIT_TIMEOUT_MS: String(config.redis.waitTimeoutMs),
    KEY_PREFIX: config.keyPrefix,
    QUEUE_PREFIX: config.queuePrefix,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    ...extra,
  };
}
