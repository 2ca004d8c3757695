/**
 * cluster: 3 API processes and 2 worker processes against a Redis Cluster (3 primaries with a
 * replica each), and the same processes against one redis-server, in the same run with the same
 * readers. Both stacks run side by side and their rounds alternate, so a neighbour loading the
 * shared cores weighs on both alike. Per topology: (1) delivery: N readers spread over the 3 API
 * processes, an editor posts a 1 KB update, latency until every reader has it; (2) accept: bursts
 * of posts spread over the 3 API processes across 20 stories, posts/s answered 202 while both
 * workers apply them, and how fast they are applied.
 */
import type { LoadResult } from '../gen/open-loop.ts';
import { now, waitUntil } from '../lib/clock.ts';
import type { BenchOptions } from '../lib/options.ts';
import { BODY_1KB } from '../lib/payload.ts';
import { appliedPosts, postTarget } from '../lib/post-target.ts';
import { forkBench, stopProcess } from '../lib/procs.ts';
import { ReaderPool } from '../lib/reader-pool.ts';
import { log } from '../lib/report.ts';
import { Remote } from '../lib/rpc.ts';
import type { StackRedisKind } from '../lib/stack-redis.ts';
import { startStack, type ApiProcess, type Stack } from '../lib/stack.ts';
import { int } from '../lib/stats.ts';
import {
  API_PROCESSES,
  BURST,
  IN_FLIGHT,
  reportCluster,
  WORKER_PROCESSES,
  type AcceptRound,
  type Side,
} from './cluster-report.ts';
import { connectReaders, failed, measureRounds } from './delivery-rounds.ts';

const STORIES = 20;

interface Running extends Side {
  stack: Stack;
  apis: ApiProcess[];
  /** Reader generators of this stack: generator i connects to API process i. */
  pool: ReaderPool;
  story: { id: string };
  stories: { id: string }[];
}

async function startSide(kind: StackRedisKind, options: BenchOptions): Promise<Running> {
  const stack = await startStack({
    name: `cluster-${kind}`,
    runDir: options.runDir,
    logLevel: options.logLevel,
    worker: true,
    workers: WORKER_PROCESSES,
    redis: kind,
    profileDir: options.profile ? `${options.runDir}/profiles` : undefined,
  });
  const apis = [stack.api];
  for (let i = 2; i <= API_PROCESSES; i++) apis.push(await stack.startApi({}, `api${i}`));
  const pool = await ReaderPool.start(API_PROCESSES);
  const story = await stack.createStory(`Cluster bench (${kind})`);
  const stories: { id: string }[] = [];
  for (let i = 1; i <= STORIES; i++) stories.push(await stack.createStory(`Cluster accept ${kind} ${i}`));
  return { kind, stack, apis, pool, story, stories, delivery: new Map(), accept: [], problems: [] };
}

/** Runs one step on a side; a failure is noted and the side takes no further part. */
async function step(side: Running, what: string, run: () => Promise<void>): Promise<void> {
  if (side.broken) return;
  try {
    await run();
  } catch (error) {
    side.broken = true;
    side.problems.push(`${label(side.kind)}, ${what}: ${failed(error)}`);
  }
}

export function label(kind: StackRedisKind): string {
  return kind === 'cluster' ? 'Redis Cluster' : 'one Redis';
}

/** Both sides' readers connected at once; warm-up, then one round on each side in turn. */
async function deliveryPaired(sides: Running[], n: number, rounds: number): Promise<void> {
  const post = (side: Running) => async (id: string) => {
    const status = await side.stack.postUpdate(side.story.id, { id, body: BODY_1KB });
    if (status !== 202) throw new Error(`POST answered ${status}`);
  };
  try {
    for (const side of sides) {
      log(`cluster: ${int(n)} readers over ${side.apis.length} API processes → ${label(side.kind)}`);
      await step(side, `${int(n)} readers`, async () => {
        const conn = await connectReaders(
          side.pool,
          side.apis.map((api) => api.url),
          side.story.id,
          n,
        );
        side.delivery.set(n, { connected: conn.connected, rounds: [] });
        side.problems.push(...conn.problems.map((p) => `${label(side.kind)}, ${int(n)} readers: ${p}`));
      });
    }
    for (const side of sides)
      await step(side, 'warm-up', async () => void (await measureRounds(side.pool, side.stack.api.pid, 0, post(side))));
    log(`cluster: ${rounds} delivery rounds at ${int(n)} readers, alternating`);
    for (let r = 1; r <= rounds; r++)
      for (const side of r % 2 === 1 ? sides : [...sides].reverse())
        await step(side, `${int(n)} readers, round ${r}`, async () => {
          const [round] = await measureRounds(side.pool, side.stack.api.pid, 1, post(side), 0);
          side.delivery.get(n)!.rounds.push(round!);
        });
  } finally {
    await Promise.all(sides.map((side) => side.pool.disconnect().catch(() => undefined)));
  }
}

/** One burst, split evenly over the API processes, from one poster process. */
async function acceptRound(side: Running, loader: Remote): Promise<AcceptRound> {
  const { stack, apis, stories } = side;
  const before = await appliedPosts(stack, stories);
  const perApi = Math.ceil(IN_FLIGHT / apis.length);
  const t0 = now();
  const results = await Promise.all(
    apis.map((api) =>
      loader.call<LoadResult>(
        'burst',
        { ...postTarget(stack, api.url, stories, perApi), total: BURST / apis.length, concurrency: perApi },
        300_000,
      ),
    ),
  );
  const ok = results.reduce((sum, r) => sum + r.ok, 0);
  const elapsedMs = Math.max(...results.map((r) => r.elapsedMs));
  await waitUntil(
    async () => (await appliedPosts(stack, stories)) >= before + ok,
    'the workers to apply the burst',
    300_000,
    20,
  );
  return { acceptedPerSecond: (ok / elapsedMs) * 1000, appliedPerSecond: (ok / (now() - t0)) * 1000, results };
}

async function acceptPaired(sides: Running[], rounds: number, loader: Remote): Promise<void> {
  for (const side of sides) await step(side, 'accept warm-up', async () => void (await acceptRound(side, loader)));
  for (let r = 1; r <= rounds; r++) {
    log(`cluster: bursts of ${int(BURST)} posts, round ${r}/${rounds}, alternating`);
    for (const side of r % 2 === 1 ? sides : [...sides].reverse())
      await step(side, `accept round ${r}`, async () => void side.accept.push(await acceptRound(side, loader)));
  }
}

export async function cluster(options: BenchOptions): Promise<void> {
  const loader = new Remote(forkBench('gen/open-loop.ts'), 'open-loop');
  const sides: Running[] = [];
  const reported: Side[] = [];
  try {
    await loader.ready;
    log(
      `cluster: readers ${options.clusterReaders.map(int).join(', ')} per topology, each over ${API_PROCESSES} API processes (${API_PROCESSES} generator processes per topology); ${WORKER_PROCESSES} workers per topology`,
    );
    for (const kind of ['single', 'cluster'] as const) {
      log(`cluster: starting ${label(kind)} with ${API_PROCESSES} API processes and ${WORKER_PROCESSES} workers`);
      try {
        const side = await startSide(kind, options);
        sides.push(side);
        reported.push(side);
      } catch (error) {
        const problems = [`${label(kind)}, start: ${failed(error)}`];
        reported.push({ kind, delivery: new Map(), accept: [], problems, broken: true });
      }
    }
    for (const n of options.clusterReaders) await deliveryPaired(sides, n, options.rounds ?? 9);
    await acceptPaired(sides, options.rounds ?? 3, loader);
    reportCluster(options, reported[0]!, reported[1]!);
  } finally {
    await stopProcess(loader.child, 5_000);
    for (const side of sides) await Promise.all([side.stack.close(), side.pool.close()]);
  }
}
