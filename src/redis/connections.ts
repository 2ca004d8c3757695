/**
 * Redis connections, for one server, Sentinel or Cluster alike. Every client reconnects (and
 * follows a failover) by itself. Request-serving connections fail fast while Redis is away (no
 * offline queue, a command timeout), so the API answers 503 within a second instead of hanging,
 * and no write is left queued to run after the client gave up.
 */
import { once } from 'node:events';
import type { ConnectionOptions } from 'bullmq';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisTopology } from './topology.ts';

export type RedisClient = Redis | Cluster;

/**
 * What a connection is for:
 * - `request`: serves requests, fails at once while disconnected and after a second;
 * - `background`: the worker's and publishers' work, queued while reconnecting;
 * - `subscriber`: pub/sub, never gives up (on Cluster, one sharded subscriber per primary);
 * - `pipelined`: many small commands a second, batched per turn of the event loop.
 */
export type ConnectionRole = 'request' | 'background' | 'subscriber' | 'pipelined';

const ROLE_OPTIONS: Record<ConnectionRole, RedisOptions> = {
  request: { enableOfflineQueue: false, commandTimeout: 1_000, maxRetriesPerRequest: 1 },
  background: {},
  subscriber: { maxRetriesPerRequest: null },
  pipelined: { enableAutoPipelining: true },
};

const COMMON: RedisOptions = {
  maxRetriesPerRequest: 2,
  enableOfflineQueue: true,
  connectTimeout: 2_000,
  retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
};

/** The options that make ioredis find the primary through the sentinels and follow a failover. */
function sentinelOptions(topology: Extract<RedisTopology, { kind: 'sentinel' }>) {
  return {
    sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
    name: topology.name,
    sentinelPassword: topology.sentinelPassword,
    password: topology.password,
    // A primary that was demoted answers READONLY: reconnect, asking the sentinels again.
    reconnectOnError: (error: Error) => error.message.startsWith('READONLY'),
  };
}

function clusterClient(
  topology: Extract<RedisTopology, { kind: 'cluster' }>,
  options: RedisOptions,
  role: ConnectionRole | 'bullmq',
): Cluster {
  const { enableOfflineQueue, enableAutoPipelining, retryStrategy, ...perNode } = options;
  const clusterOptions: ClusterOptions = {
    enableOfflineQueue,
    enableAutoPipelining,
    clusterRetryStrategy: (attempt) => (retryStrategy ? retryStrategy(attempt) : 200),
    redisOptions: { ...perNode, password: topology.password },
    // After a failover the replica's slots answer MOVED/CLUSTERDOWN for a moment: try again soon.
    retryDelayOnClusterDown: 200,
    retryDelayOnFailover: 200,
    retryDelayOnTryAgain: 100,
    slotsRefreshInterval: 2_000,
    shardedSubscribers: role === 'subscriber',
  };
  return new Cluster(
    topology.nodes.map(({ host, port }) => ({ host, port })),
    clusterOptions,
  );
}

function open(topology: RedisTopology, options: RedisOptions, role: ConnectionRole | 'bullmq'): RedisClient {
  if (topology.kind === 'cluster') return clusterClient(topology, options, role);
  if (topology.kind === 'single') return new Redis(topology.url, options);
  return new Redis({ ...options, ...sentinelOptions(topology) });
}

function logConnectionTrouble(client: RedisClient, logger: Logger, name: string): void {
  let warned = false;
  client.on('error', (error: Error) => {
    if (!warned) logger.warn({ err: error, connection: name }, 'Redis connection error; reconnecting');
    warned = true;
  });
  client.on('ready', () => {
    if (warned) logger.info({ connection: name }, 'Redis connection is back');
    warned = false;
  });
}

export function createRedis(
  topology: RedisTopology,
  logger: Logger,
  name: string,
  role: ConnectionRole = 'background',
): RedisClient {
  const client = open(topology, { ...COMMON, connectionName: `stoppress:${name}`, ...ROLE_OPTIONS[role] }, role);
  logConnectionTrouble(client, logger, name);
  return client;
}

/** Resolves once the client is ready; a process starting while Redis is away waits for it. */
export async function redisReady(redis: RedisClient): Promise<void> {
  if (redis.status !== 'ready') await once(redis, 'ready');
}

/** Quits, or drops the connection when quitting fails (Redis gone). */
export async function closeRedis(client: RedisClient): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}

/**
 * BullMQ makes its own connections from options; its blocking ones need maxRetriesPerRequest:
 * null. A producer in a request path fails fast instead. On Cluster BullMQ needs a client
 * instance: it is returned in `owned`, for the caller to close after its queues.
 */
export function bullmqConnection(
  topology: RedisTopology,
  use: 'worker' | 'producer',
): { connection: ConnectionOptions; owned: RedisClient[] } {
  const options =
    use === 'worker'
      ? { maxRetriesPerRequest: null, connectTimeout: 2_000 }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 1_000 };
  if (topology.kind === 'cluster') {
    const client = clusterClient(topology, options, 'bullmq');
    return { connection: client, owned: [client] };
  }
  // BullMQ types its options loosely; ioredis's own type is the precise one checked above.
  if (topology.kind === 'single') return { connection: { url: topology.url, ...options }, owned: [] };
  return { connection: { ...options, ...sentinelOptions(topology) }, owned: [] };
}

const UNAVAILABLE_PATTERNS =
  /Stream isn't writeable|Connection is closed|Command timed out|ECONNREFUSED|ECONNRESET|MaxRetriesPerRequest|max retries per request|LOADING|READONLY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|NOREPLICAS|Reached the max retries|Too many Cluster redirections|Failed to refresh slots cache|None of the sentinels are available|All sentinels are unreachable|Cluster isn't ready|Not enough replicas/i;

/** Errors that mean "Redis is not reachable right now" rather than a bug. */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'MaxRetriesPerRequestError' || UNAVAILABLE_PATTERNS.test(error.message);
}
