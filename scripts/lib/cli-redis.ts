/**
 * The Redis connection of a command-line tool (editor, demo, screenshots): the configured
 * topology, whichever it is, and a clear error instead of retrying forever when nothing answers.
 */
import pino from 'pino';
import type { Config } from '../../src/config.ts';
import { closeRedis, createRedis, redisReady, type RedisClient } from '../../src/redis/connections.ts';
import { describeTopology } from '../../src/redis/topology.ts';

const CONNECT_TIMEOUT_MS = 5_000;

export async function connectCliRedis(config: Config, name: string): Promise<RedisClient> {
  const { topology } = config.redis;
  const redis = createRedis(topology, pino({ level: 'silent' }), name);
  let lastError: unknown;
  redis.on('error', (error: unknown) => (lastError = error));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const why = lastError instanceof Error ? lastError.message : 'no answer';
      reject(new Error(`cannot reach Redis at ${describeTopology(topology)} (${why})`));
    }, CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([redisReady(redis), timeout]);
    return redis;
  } catch (error) {
    redis.disconnect();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

export { closeRedis };
