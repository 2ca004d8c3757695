/**
 * REDIS_WAIT_REPLICAS for everything the API acknowledges by itself: a write request (a post, an
 * edit, a story, its settings, a scheduled post, a review step, a subscription) is answered with
 * its 2xx only once N replicas hold what this node's connections wrote, so a failover cannot lose
 * an acknowledged write. If the replicas fall short, the answer is 503 UNAVAILABLE instead and the
 * client retries with the same id; the writes are idempotent by that id.
 *
 * WAIT runs on every connection the node writes on (the store's and each queue's): a connection
 * that wrote nothing for this request answers at once, so this is cheaper than tracking which did.
 * A retry that finds its job already stored (perhaps by another node) writes no job; but the
 * write-rate counter it bumped on the store's connection follows that job in the replication
 * stream, so the WAIT on that connection covers the job too (on a Cluster, only when the two
 * keys share a shard).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RedisClient } from '../../redis/connections.ts';
import type { ReplicaWait } from '../../redis/wait-replicas.ts';

export interface ReplicatedWritesOptions {
  replicas: ReplicaWait;
  /** The connections this node writes on (a BullMQ queue's once it is open). */
  connections: () => Promise<RedisClient[]>;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function replicatedWritesPlugin(app: FastifyInstance, options: ReplicatedWritesOptions): Promise<void> {
  const { replicas } = options;
  if (replicas.replicas === 0) return;
  app.addHook('onSend', async (request, reply, payload) => {
    if (READS.has(request.method) || reply.statusCode >= 300) return payload;
    const connections = await options.connections();
    await Promise.all(connections.map((connection) => replicas.confirmAll(connection)));
    return payload;
  });
}

export const replicatedWrites = fp(replicatedWritesPlugin, { name: 'replicated-writes' });
