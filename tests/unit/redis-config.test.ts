import { describe, expect, it } from 'vitest';
import { envBesideLauncher, loadLauncherSettings } from '../../scripts/lib/launcher-settings.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { describeTopology, parseHostPorts } from '../../src/redis/topology.ts';

const SENTINEL = { REDIS_SENTINELS: '127.0.0.1:26379, 127.0.0.1:26380,[::1]:26381', REDIS_SENTINEL_NAME: 'newsroom' };
const CLUSTER = { REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7000' };

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return expect.unreachable('loadConfig accepted it');
}

describe('where Redis is: REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES', () => {
  it('reads a Sentinel set: the sentinels, the master name and both passwords', () => {
    const config = loadConfig({ ...SENTINEL, REDIS_SENTINEL_PASSWORD: 's3', REDIS_PASSWORD: 'p4' });
    expect(config.redis.topology).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '127.0.0.1', port: 26379 },
        { host: '127.0.0.1', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'newsroom',
      sentinelPassword: 's3',
      password: 'p4',
    });
  });

  it('reads Cluster seed nodes and puts the queue prefix in a hash tag, as BullMQ needs on Cluster', () => {
    const config = loadConfig({ ...CLUSTER, REDIS_PASSWORD: 'p4' });
    expect(config.redis.topology).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7000 },
      ],
      password: 'p4',
    });
    expect(config.queuePrefix).toBe('{sp-bull}');
    expect(loadConfig({ ...CLUSTER, QUEUE_PREFIX: '{q}' }).queuePrefix).toBe('{q}');
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' }).queuePrefix).toBe('sp-bull');
  });

  it('reads REDIS_WAIT_REPLICAS and REDIS_WAIT_TIMEOUT_MS (default: no waiting)', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' }).redis).toMatchObject({ waitReplicas: 0 });
    const waiting = loadConfig({ ...SENTINEL, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '750' });
    expect(waiting.redis).toMatchObject({ waitReplicas: 1, waitTimeoutMs: 750 });
  });

  it.each([
    [
      'REDIS_URL and REDIS_SENTINELS',
      { REDIS_URL: 'redis://127.0.0.1:1', ...SENTINEL },
      /not REDIS_URL and REDIS_SENTINELS/,
    ],
    [
      'REDIS_URL and REDIS_CLUSTER_NODES',
      { REDIS_URL: 'redis://127.0.0.1:1', ...CLUSTER },
      /not REDIS_URL and REDIS_CLUSTER_NODES/,
    ],
    [
      'REDIS_SENTINELS and REDIS_CLUSTER_NODES',
      { ...SENTINEL, ...CLUSTER },
      /not REDIS_SENTINELS and REDIS_CLUSTER_NODES/,
    ],
    [
      'REDIS_SENTINELS without a name',
      { REDIS_SENTINELS: '127.0.0.1:26379' },
      /REDIS_SENTINELS needs REDIS_SENTINEL_NAME/,
    ],
    [
      'a master name without sentinels',
      { ...CLUSTER, REDIS_SENTINEL_NAME: 'x' },
      /REDIS_SENTINEL_NAME is set without REDIS_SENTINELS/,
    ],
    [
      'a sentinel password without sentinels',
      { REDIS_URL: 'redis://h:1', REDIS_SENTINEL_PASSWORD: 'x' },
      /REDIS_SENTINEL_PASSWORD is set without/,
    ],
    [
      'REDIS_PASSWORD beside REDIS_URL',
      { REDIS_URL: 'redis://h:1', REDIS_PASSWORD: 'x' },
      /put the password in REDIS_URL/,
    ],
    ['sentinels that are not host:port', { ...SENTINEL, REDIS_SENTINELS: 'sentinel-a' }, /REDIS_SENTINELS/],
    [
      'a cluster node with a port out of range',
      { REDIS_CLUSTER_NODES: '127.0.0.1:70000' },
      /REDIS_CLUSTER_NODES has "127.0.0.1:70000"/,
    ],
    ['a negative REDIS_WAIT_REPLICAS', { ...SENTINEL, REDIS_WAIT_REPLICAS: '-1' }, /REDIS_WAIT_REPLICAS/],
  ])('refuses %s, naming the variables', (_name, env, pattern) => {
    expect(refusal(env)).toMatch(pattern);
  });

  it('refuses production without any of the three, naming all three', () => {
    expect(refusal({ NODE_ENV: 'production' })).toMatch(/REDIS_URL.*REDIS_SENTINELS.*REDIS_CLUSTER_NODES/);
  });

  it('parses IPv6 literals and names the bad item', () => {
    expect(parseHostPorts('[::1]:7000, localhost:7001')).toEqual([
      { host: '::1', port: 7000 },
      { host: 'localhost', port: 7001 },
    ]);
    expect(() => parseHostPorts('localhost')).toThrow(/"localhost" is not host:port/);
  });

  it('describes a topology for logs without its passwords', () => {
    const config = loadConfig({ ...SENTINEL, REDIS_PASSWORD: 'secret-p', REDIS_SENTINEL_PASSWORD: 'secret-s' });
    expect(describeTopology(config.redis.topology)).toBe(
      'Sentinel master "newsroom" via 127.0.0.1:26379,127.0.0.1:26380,[::1]:26381',
    );
    const url = describeTopology(loadConfig({ REDIS_URL: 'redis://user:secret@10.0.0.1:6379/0' }).redis.topology);
    expect(url).toBe('redis://10.0.0.1:6379/0');
  });
});

describe('npm start and the commands beside it', () => {
  it('starts no private Redis when Sentinel or Cluster is configured', () => {
    expect(loadLauncherSettings({}).externalRedis).toBeUndefined();
    expect(loadLauncherSettings(SENTINEL).externalRedis).toBe('REDIS_SENTINELS');
    expect(loadLauncherSettings(CLUSTER).externalRedis).toBe('REDIS_CLUSTER_NODES');
  });

  it('does not point a Sentinel or Cluster setup at the private Redis of a running `npm start`', () => {
    expect(envBesideLauncher(CLUSTER).REDIS_URL).toBeUndefined();
    expect(envBesideLauncher(SENTINEL).REDIS_URL).toBeUndefined();
  });
});
