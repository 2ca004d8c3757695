/**
 * A Redis Cluster on free loopback ports, made the way operators make one: redis-server with
 * `--cluster-enabled yes` per node, joined by `redis-cli --cluster create`. For the tests and the
 * benchmarks. The node timeout is short so a failover takes seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, sleep, spawnProgram } from './processes.ts';
import { startRedisServer, withRedisClient, type RedisServerHandle } from './redis-server.ts';

export interface RedisClusterOptions {
  /** Every node's password (REDIS_PASSWORD). */
  password?: string;
  primaries?: number;
  replicasPerPrimary?: number;
  nodeTimeoutMs?: number;
}

export interface ClusterNode {
  server: RedisServerHandle;
  id: string;
}

export interface RedisCluster {
  nodes: ClusterNode[];
  /** REDIS_CLUSTER_NODES for a process using this cluster (every node as a seed). */
  env: Record<string, string> & { REDIS_CLUSTER_NODES: string };
  /** The node serving a slot now (after a failover, the promoted replica). */
  ownerOf(slot: number): Promise<ClusterNode>;
  /** Moves one slot, keys and all, to another primary, as `redis-cli --cluster reshard` does. */
  moveSlot(slot: number, to: ClusterNode): Promise<void>;
  /** Until every live node agrees the cluster is ok and no slot is left uncovered. */
  waitUntilHealthy(): Promise<void>;
  remove(): Promise<void>;
}

let clusterAuth: string | undefined;

const withClient = <T>(port: number, use: (client: Redis) => Promise<T>): Promise<T> =>
  withRedisClient(port, clusterAuth, use);

function nodeArgs(busPort: number, nodeTimeoutMs: number): string[] {
  return [
    ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
    ...['--cluster-node-timeout', String(nodeTimeoutMs), '--cluster-port', String(busPort)],
    // The other shards keep serving while one is failing over.
    ...['--cluster-require-full-coverage', 'no'],
    // Replicas sync at once, not after the default 5 s wait for others to share the transfer: a
    // replica that never synced refuses to be promoted (and would have no data).
    ...['--repl-diskless-sync-delay', '0'],
  ];
}

async function createCluster(ports: number[], replicasPerPrimary: number): Promise<void> {
  const hosts = ports.map((port) => `127.0.0.1:${port}`);
  const args = ['--cluster', 'create', ...hosts, '--cluster-replicas', String(replicasPerPrimary), '--cluster-yes'];
  if (clusterAuth) args.push('-a', clusterAuth, '--no-auth-warning');
  const proc = spawnProgram('redis-cli', args, { output: 'capture' });
  const { code } = await proc.exited;
  if (code !== 0) throw new Error(`redis-cli --cluster create failed: ${proc.output()}`);
}

/** `CLUSTER SLOTS` of one node: slot range → the port of its primary. */
async function slotOwners(port: number): Promise<{ from: number; to: number; port: number }[]> {
  const slots = await withClient(
    port,
    (c) => c.call('CLUSTER', 'SLOTS') as Promise<[number, number, [string, number]][]>,
  );
  return slots.map(([from, to, [, ownerPort]]) => ({ from, to, port: Number(ownerPort) }));
}

async function migrateKeys(from: ClusterNode, to: ClusterNode, slot: number): Promise<void> {
  await withClient(from.server.port, async (client) => {
    for (;;) {
      const keys = (await client.call('CLUSTER', 'GETKEYSINSLOT', slot, 100)) as string[];
      if (keys.length === 0) return;
      const auth = clusterAuth ? ['AUTH', clusterAuth] : [];
      await client.call('MIGRATE', '127.0.0.1', to.server.port, '', 0, 5_000, ...auth, 'KEYS', ...keys);
    }
  });
}

export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const primaries = options.primaries ?? 3;
  const replicasPerPrimary = options.replicasPerPrimary ?? 1;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1_000;
  const dir = mkdtempSync(join(tmpdir(), 'stoppress-cluster-'));
  const { password } = options;
  clusterAuth = password;
  const servers: RedisServerHandle[] = [];
  for (let i = 0; i < primaries * (1 + replicasPerPrimary); i++) {
    const extraArgs = nodeArgs(await freePort(), nodeTimeoutMs);
    servers.push(await startRedisServer({ dir: join(dir, `node-${i}`), extraArgs, password }));
  }
  await createCluster(
    servers.map((s) => s.port),
    replicasPerPrimary,
  );
  const nodes: ClusterNode[] = [];
  for (const server of servers)
    nodes.push({ server, id: await withClient(server.port, (c) => c.call('CLUSTER', 'MYID') as Promise<string>) });

  const live = () =>
    nodes.filter((n) => n.server.proc.child.exitCode === null && n.server.proc.child.signalCode === null);
  const cluster: RedisCluster = {
    nodes,
    env: {
      REDIS_CLUSTER_NODES: servers.map((s) => `127.0.0.1:${s.port}`).join(','),
      ...(password && { REDIS_PASSWORD: password }),
    },
    async ownerOf(slot) {
      const owners = await slotOwners(live()[0]!.server.port);
      const owner = owners.find((o) => slot >= o.from && slot <= o.to);
      const node = nodes.find((n) => n.server.port === owner?.port);
      if (!node) throw new Error(`no node serves slot ${slot}`);
      return node;
    },
    async moveSlot(slot, to) {
      const from = await cluster.ownerOf(slot);
      await withClient(to.server.port, (c) => c.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', from.id));
      await withClient(from.server.port, (c) => c.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', to.id));
      await migrateKeys(from, to, slot);
      // The new owner first, then the old one, then everyone else, as redis-cli does.
      for (const node of [to, from, ...live().filter((n) => n !== to && n !== from)])
        await withClient(node.server.port, (c) => c.call('CLUSTER', 'SETSLOT', slot, 'NODE', to.id)).catch(() => null);
    },
    async waitUntilHealthy() {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const states = await Promise.all(
          live().map((n) =>
            withClient(n.server.port, (c) => c.call('CLUSTER', 'INFO') as Promise<string>).catch(() => ''),
          ),
        );
        if (states.every((info) => /cluster_state:ok/.test(info) && /cluster_slots_fail:0/.test(info))) return;
        if (Date.now() > deadline) throw new Error('the cluster did not become healthy within 60 s');
        await sleep(100);
      }
    },
    async remove() {
      await Promise.all(servers.map((s) => s.stop('SIGKILL')));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.waitUntilHealthy();
  return cluster;
}
