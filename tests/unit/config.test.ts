import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('applies defaults and parses numbers', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:1234', PORT: '8080', MAX_PINNED: '5' });
    expect(config).toMatchObject({
      port: 8080,
      redisUrl: 'redis://127.0.0.1:1234',
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
    try {
      loadConfig({ PATH: '' }, { launcherFile: '/nonexistent/redis.url' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/REDIS_URL is not set/);
    }
  });
});
