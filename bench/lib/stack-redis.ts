/**
 * The Redis of a bench stack: one redis-server, or a Redis Cluster of 3 primaries with one
 * replica each, made as operators make one (scripts/lib/redis-cluster.ts). Every process is
 * tracked, so Ctrl-C or a failed scenario stops it.
 */
import { rmSync } from 'node:fs';
import { startRedisCluster } from '../../scripts/lib/redis-cluster.ts';
import { startRedisServer } from '../../scripts/lib/redis-server.ts';
import { atCleanup, track } from './procs.ts';

export type StackRedisKind = 'single' | 'cluster';

export interface StackRedis {
  /** REDIS_URL or REDIS_CLUSTER_NODES for the processes. */
  env: Record<string, string>;
  /** The server's URL; on a cluster, the first seed node's. */
  url: string;
  remove(): Promise<void>;
}

/** The cluster of `npm run bench -- cluster`: the 3 primaries × 1 replica. */
export const CLUSTER_SHAPE = { primaries: 3, replicasPerPrimary: 1 } as const;

export async function startStackRedis(kind: StackRedisKind): Promise<StackRedis> {
  if (kind === 'cluster') {
    const cluster = await startRedisCluster(CLUSTER_SHAPE);
    for (const node of cluster.nodes) track(node.server.proc.child);
    return { env: cluster.env, url: cluster.nodes[0]!.server.url, remove: () => cluster.remove() };
  }
  const server = await startRedisServer();
  track(server.proc.child);
  const forget = atCleanup(() => rmSync(server.dir, { recursive: true, force: true }));
  return {
    env: { REDIS_URL: server.url },
    url: server.url,
    async remove() {
      await server.remove();
      forget();
    },
  };
}
