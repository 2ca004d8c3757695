/**
 * REDIS_WAIT_REPLICAS: a write counts as accepted only once N replicas hold it. Redis `WAIT`
 * counts the writes of the connection it runs on, so it must run on the connection that made the
 * write: for one server or Sentinel that is the client itself; for a Cluster it is the connection
 * to the primary that owns the key's slot (or every primary's, when the writes' keys are unknown).
 * Falling short is the retryable UNAVAILABLE: the caller retries with the same id, and the
 * idempotent write (job id, op id) is not done twice.
 */
import calculateSlot from 'cluster-key-slot';
import type { Cluster, Redis } from 'ioredis';
import { appError } from '../errors.ts';
import type { RedisClient } from './connections.ts';
import type { RedisSettings } from './topology.ts';

export interface ReplicaWait {
  /** N; 0 means that no WAIT is ever sent. */
  readonly replicas: number;
  /** Resolves once N replicas hold every write this client made on `key`'s node so far. */
  confirm(client: RedisClient, key: string): Promise<void>;
  /** The same for the writes this client made on any node (a Cluster's every primary). */
  confirmAll(client: RedisClient): Promise<void>;
  /** The same on the nodes of these keys only (once per node), so a failing shard holds up only its own writes. */
  confirmKeys(client: RedisClient, keys: readonly string[]): Promise<void>;
  /**
   * For a write that must not be redone (an alert's claim): waits up to `rounds` timeouts while
   * the connection stays on the same primary, and throws only if it failed over or ran out.
   */
  confirmPatiently(client: RedisClient, key: string, rounds: number): Promise<void>;
}

function isCluster(client: RedisClient): client is Cluster {
  return 'slots' in client && Array.isArray((client as Cluster).slots);
}

const nodeKey = (node: Redis): string => `${node.options.host}:${node.options.port}`;

/** The connection of the Cluster node that serves `key`'s slot: the one its writes went over. */
export function connectionOfKey(client: RedisClient, key: string): Redis {
  if (!isCluster(client)) return client;
  const owner = client.slots[calculateSlot(key)]?.[0];
  const node = client.nodes('master').find((candidate) => nodeKey(candidate) === owner);
  if (!node) throw appError('UNAVAILABLE', `No Redis Cluster primary is known for the slot of ${key}; retry shortly`);
  return node;
}

export function createReplicaWait(settings: Pick<RedisSettings, 'waitReplicas' | 'waitTimeoutMs'>): ReplicaWait {
  const { waitReplicas: replicas, waitTimeoutMs: timeoutMs } = settings;

  /** One WAIT: how many replicas confirmed, unless the connection changed primary meanwhile. */
  async function waitRound(connection: Redis, stream: Redis['stream']): Promise<number> {
    const acknowledged = await connection.wait(replicas, timeoutMs);
    // ioredis sends an unanswered command again after a reconnect: on a promoted replica this
    // connection has written nothing yet, and WAIT would confirm a write that primary never saw.
    if (connection.stream !== stream) {
      throw appError(
        'UNAVAILABLE',
        'Redis failed over before the replicas confirmed the write; retry with the same id',
      );
    }
    return acknowledged;
  }

  async function waitOn(connection: Redis, rounds = 1): Promise<void> {
    const stream = connection.stream;
    let acknowledged = 0;
    for (let round = 0; round < rounds && acknowledged < replicas; round++) {
      acknowledged = await waitRound(connection, stream);
    }
    if (acknowledged >= replicas) return;
    throw appError(
      'UNAVAILABLE',
      `The write reached ${acknowledged} of the ${replicas} replicas required within ${rounds * timeoutMs} ms; retry with the same id`,
    );
  }

  return {
    replicas,
    async confirm(client, key) {
      if (replicas > 0) await waitOn(connectionOfKey(client, key));
    },
    async confirmAll(client) {
      if (replicas === 0) return;
      await Promise.all((isCluster(client) ? client.nodes('master') : [client]).map((node) => waitOn(node)));
    },
    async confirmKeys(client, keys) {
      if (replicas === 0) return;
      const nodes = new Set(keys.map((key) => connectionOfKey(client, key)));
      await Promise.all([...nodes].map((node) => waitOn(node)));
    },
    async confirmPatiently(client, key, rounds) {
      if (replicas > 0) await waitOn(connectionOfKey(client, key), rounds);
    },
  };
}
