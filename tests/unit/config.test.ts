import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envBesideLauncher } from '../../scripts/lib/launcher-settings.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';

/** A DATA_DIR as a running `npm start` leaves it: redis.url names its Redis. */
const launcherDataDir = mkdtempSync(join(tmpdir(), 'stoppress-config-'));
writeFileSync(join(launcherDataDir, 'redis.url'), 'redis://127.0.0.1:7777\n');
afterAll(() => rmSync(launcherDataDir, { recursive: true, force: true }));

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  return expect.unreachable('loadConfig accepted it');
}

describe('loadConfig', () => {
  it('applies defaults and parses numbers', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:1234', PORT: '8080', MAX_PINNED: '5' });
    expect(config).toMatchObject({
      port: 8080,
      redis: { topology: { kind: 'single', url: 'redis://127.0.0.1:1234' }, waitReplicas: 0 },
      keyPrefix: 'sp:',
      maxPinned: 5,
      workerConcurrency: 16,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['a non-numeric port', { PORT: 'eighty' }, /PORT/],
    ['a port out of range', { PORT: '70000' }, /PORT/],
    ['a Redis URL that is not redis://', { REDIS_URL: 'http://x' }, /REDIS_URL/],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    ['a key prefix without a colon', { KEY_PREFIX: 'sp' }, /KEY_PREFIX/],
    ['a negative number of encrypt threads', { PUSH_ENCRYPT_THREADS: '-1' }, /PUSH_ENCRYPT_THREADS/],
    ['more than 64 encrypt threads', { PUSH_ENCRYPT_THREADS: '65' }, /PUSH_ENCRYPT_THREADS/],
    ['encrypt threads that are not a number', { PUSH_ENCRYPT_THREADS: 'two' }, /PUSH_ENCRYPT_THREADS/],
  ])('refuses %s, naming the variable', (_name, env, pattern) => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', ...env })).toThrow(pattern);
  });

  it('encrypts alerts on one thread per core unless PUSH_ENCRYPT_THREADS says otherwise (0: on the main thread)', () => {
    const redis = { REDIS_URL: 'redis://127.0.0.1:1' };
    expect(loadConfig(redis).push.encryptThreads).toBe(availableParallelism());
    expect(loadConfig({ ...redis, PUSH_ENCRYPT_THREADS: '0' }).push.encryptThreads).toBe(0);
    expect(loadConfig({ ...redis, PUSH_ENCRYPT_THREADS: '3' }).push.encryptThreads).toBe(3);
  });

  it('says what to do when no Redis is configured', () => {
    expect(configError({ PATH: '' }).message).toMatch(
      /no Redis is configured \(REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES\)/,
    );
  });

  it('refuses to start in production without REDIS_URL, and reads no file in the checkout', () => {
    const message = configError({ NODE_ENV: 'production', DATA_DIR: launcherDataDir }).message;
    expect(message).toMatch(/no Redis is configured, and NODE_ENV=production requires one: set REDIS_URL/);
  });

  it('in development, tells the developer to run `npm start` or set REDIS_URL instead of guessing', () => {
    const message = configError({ DATA_DIR: launcherDataDir }).message;
    expect(message).toMatch(/no Redis is configured .*\. Run everything with `npm start`.*or set one/);
  });
});

describe('envBesideLauncher (npm run editor / demo)', () => {
  it('uses the Redis of a running `npm start` when REDIS_URL is unset', () => {
    expect(loadConfig(envBesideLauncher({ DATA_DIR: launcherDataDir })).redis.topology).toEqual({
      kind: 'single',
      url: 'redis://127.0.0.1:7777',
    });
  });

  it('keeps an explicit REDIS_URL', () => {
    const env = envBesideLauncher({ DATA_DIR: launcherDataDir, REDIS_URL: 'redis://10.0.0.1:6379' });
    expect(env.REDIS_URL).toBe('redis://10.0.0.1:6379');
  });

  it('never falls back in production', () => {
    expect(envBesideLauncher({ DATA_DIR: launcherDataDir, NODE_ENV: 'production' }).REDIS_URL).toBeUndefined();
  });
});
