/**
 * Redis connections. Every client reconnects by itself. Request-serving connections fail fast
 * while Redis is away (no offline queue, a command timeout), so the API answers 503 within a
 * second instead of hanging, and no write is left queued to run after the client gave up.
 */
import { once } from 'node:events';
import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/** For connections that serve requests: fail at once while disconnected, and after a second. */
export const FAIL_FAST: RedisOptions = { enableOfflineQueue: false, commandTimeout: 1_000, maxRetriesPerRequest: 1 };

export function createRedis(url: string, logger: Logger, name: string, extra: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    connectionName: `stoppress:${name}`,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
    ...extra,
  });
  let warned = false;
  redis.on('error', (error) => {
    if (!warned) logger.warn({ err: error, connection: name }, 'Redis connection error; reconnecting');
    warned = true;
  });
  redis.on('ready', () => {
    if (warned) logger.info({ connection: name }, 'Redis connection is back');
    warned = false;
  });
  return redis;
}

/** Resolves once the client is ready; a process starting while Redis is away waits for it. */
export async function redisReady(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') await once(redis, 'ready');
}

/** BullMQ makes its own connections from these; its blocking ones need maxRetriesPerRequest: null. */
export function bullmqConnectionOptions(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null, connectTimeout: 2_000 };
}

/** For a producer in a request path: adding a job fails fast while Redis is away. */
export function bullmqProducerOptions(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 1_000 };
}

const UNAVAILABLE_PATTERNS =
  /Stream isn't writeable|Connection is closed|Command timed out|ECONNREFUSED|ECONNRESET|MaxRetriesPerRequest|max retries per request|LOADING|READONLY|CLUSTERDOWN|TRYAGAIN|Reached the max retries/i;

/** Errors that mean "Redis is not reachable right now" rather than a bug. */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'MaxRetriesPerRequestError' || UNAVAILABLE_PATTERNS.test(error.message);
}
