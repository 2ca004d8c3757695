/**
 * Redis connections. Commands fail fast while Redis is down (instead of queueing without bound)
 * and the client keeps reconnecting by itself; BullMQ gets its own connections, as it requires.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';

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

/** BullMQ makes its own connections from these; its blocking ones need maxRetriesPerRequest: null. */
export function bullmqConnectionOptions(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null, connectTimeout: 2_000 };
}
