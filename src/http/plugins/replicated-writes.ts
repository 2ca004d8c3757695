/**
 * REDIS_WAIT_REPLICAS for everything the API acknowledges by itself: a write request (a post, an
 * edit, a story, its settings, a scheduled post, a review step, a subscription) is answered with
 * its 2xx only once N replicas hold what this node's connections wrote, so a failover cannot lose
 * an acknowledged write. If the replicas fall short, the answer is 503 UNAVAILABLE instead and the
 * client retries with the same id; the writes are idempotent by that id.
 *
 * WAIT runs on every connection the node writes on (the store's and each queue's): a connection
 * that wrote nothing for this request answers at once, so this is cheaper than tracking which did.
 * On a Cluster, a write to one story (`/api/stories/:id…`) waits only on the primaries of its keys
 * (the story's, the editors' write counter, the queue's): a shard without a replica after its
 * failover refuses its own stories' writes, not everyone's.
 * A retry that finds its job already stored (perhaps by another node) writes no job; but the
 * write-rate counter it bumped on the store's connection follows that job in the replication
 * stream, so the WAIT on that connection covers the job too (on a Cluster, only when the two
 * keys share a shard).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RedisClient } from '../../redis/connections.ts';
import type { ReplicaWait } from '../../redis/wait-replicas.ts';

export interface ReplicatedWritesOptions {
  replicas: ReplicaWait;
  /** The store's connection, and a key of each slot a story's write touches on it. */
  store: { client: RedisClient; keysOfStory(storyId: string): string[] };
  /** Each queue's connection once it is open, with a key of the queue's slot (its prefix, a hash tag). */
  queues: () => Promise<{ client: RedisClient; key: string }[]>;
}

/** The story a write is about, when the route names one. */
function storyOf(request: FastifyRequest): string | undefined {
  if (!request.routeOptions.url?.startsWith('/api/stories/:id')) return undefined;
  return (request.params as { id?: string }).id;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function replicatedWritesPlugin(app: FastifyInstance, options: ReplicatedWritesOptions): Promise<void> {
  const { replicas } = options;
  if (replicas.replicas === 0) return;
  app.addHook('onSend', async (request, reply, payload) => {
    if (READS.has(request.method) || reply.statusCode >= 300) return payload;
    const storyId = storyOf(request);
    const queues = await options.queues();
    if (storyId === undefined) {
      await Promise.all([options.store.client, ...queues.map((q) => q.client)].map((c) => replicas.confirmAll(c)));
      return payload;
    }
    await Promise.all([
      replicas.confirmKeys(options.store.client, options.store.keysOfStory(storyId)),
      ...queues.map((queue) => replicas.confirmKeys(queue.client, [queue.key])),
    ]);
    return payload;
  });
}

export const replicatedWrites = fp(replicatedWritesPlugin, { name: 'replicated-writes' });
