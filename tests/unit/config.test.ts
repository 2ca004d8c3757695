import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('applies defaults and parses numbers', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:1234', PORT: '8080', MAX_PINNED: '5' });
    expect(config).toMatchObject({ port: 8080, redisUrl: 'redis://127.0.0.1:1234', keyPrefix: 'sp:', maxPinned: 5, workerConcurrency: 16 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['a non-numeric port', { PORT: 'eighty' }, /PORT/],
    ['a port out of range', { PORT: '70000' }, /PORT/],
    ['a Redis URL that is not redis://', { REDIS_URL: 'http://x' }, /REDIS_URL/],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    ['a key prefix without a colon', { KEY_PREFIX: 'sp' }, /KEY_PREFIX/],
  ])('refuses %s, naming the variable', (_name, env, pattern) => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', ...env })).toThrow(pattern);
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
