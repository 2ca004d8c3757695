/**
 * cluster: 3 API processes and 2 worker processes against a Redis Cluster (3 primaries with a
 * replica each), and the same processes against one redis-server, in the same run with the same
 * readers. Per topology: (1) delivery: N readers spread over the 3 API processes, an editor posts
 * a 1 KB update, latency until every reader has it; (2) accept: bursts of posts spread over the 3
 * API processes across 20 stories, posts/s answered 202 while both workers apply them, and how
 * fast the backlog is applied.
 */
import type { LoadResult } from '../gen/open-loop.ts';
import { now, waitUntil } from '../lib/clock.ts';
import type { BenchOptions } from '../lib/options.ts';
import { BODY_1KB } from '../lib/payload.ts';
import { appliedPosts, postTarget, statusCounts } from '../lib/post-target.ts';
import { forkBench, stopProcess } from '../lib/procs.ts';
import { ReaderPool } from '../lib/reader-pool.ts';
import { log, table } from '../lib/report.ts';
import { Remote } from '../lib/rpc.ts';
import { CLUSTER_SHAPE, type StackRedisKind } from '../lib/stack-redis.ts';
import { startStack, type ApiProcess, type Stack } from '../lib/stack.ts';
import { int, median, medianOf, ms, ratio } from '../lib/stats.ts';
import { deliveryPhase, WARM_UP, type Phase } from './delivery-rounds.ts';

const API_PROCESSES = 3;
const WORKER_PROCESSES = 2;
const STORIES = 20;
/** Posts per accept round, and requests in flight over all API processes (as in accept). */
const BURST = 3_000;
const IN_FLIGHT = 32;

interface AcceptRound {
  /** Posts answered 202 per second of the burst. */
  acceptedPerSecond: number;
  /** Posts applied per second, from the first POST until the workers had applied all of them. */
  appliedPerSecond: number;
  results: LoadResult[];
}

interface TopologyResult {
  delivery: Map<number, Phase>;
  accept: AcceptRound[];
  problems: string[];
}

/** The stack of one topology: Redis, 3 API processes, 2 workers. */
async function startTopology(
  kind: StackRedisKind,
  options: BenchOptions,
): Promise<{ stack: Stack; apis: ApiProcess[] }> {
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
  return { stack, apis };
}

/** One burst, split evenly over the API processes, from one poster process. */
async function acceptRound(
  stack: Stack,
  apis: ApiProcess[],
  loader: Remote,
  stories: { id: string }[],
): Promise<AcceptRound> {
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

async function measureTopology(
  kind: StackRedisKind,
  options: BenchOptions,
  pool: ReaderPool,
  loader: Remote,
): Promise<TopologyResult> {
  const result: TopologyResult = { delivery: new Map(), accept: [], problems: [] };
  const { stack, apis } = await startTopology(kind, options);
  try {
    const story = await stack.createStory(`Cluster bench (${kind})`);
    const urls = apis.map((api) => api.url);
    for (const n of options.clusterReaders) {
      log(`cluster: ${int(n)} readers over ${apis.length} API processes → ${label(kind)}`);
      const phase = await deliveryPhase(pool, urls, stack.api.pid, story.id, n, options.rounds ?? 9, async (id) => {
        const status = await stack.postUpdate(story.id, { id, body: BODY_1KB });
        if (status !== 202) throw new Error(`POST answered ${status}`);
      });
      result.delivery.set(n, phase);
      result.problems.push(...phase.problems.map((p) => `${label(kind)}, ${int(n)} readers: ${p}`));
    }
    const stories = await Promise.all(
      Array.from({ length: STORIES }, (_, i) => stack.createStory(`Cluster accept ${kind} ${i + 1}`)),
    );
    log(`cluster: accept warm-up → ${label(kind)}`);
    await acceptRound(stack, apis, loader, stories);
    const rounds = options.rounds ?? 3;
    for (let r = 1; r <= rounds; r++) {
      log(
        `cluster: burst of ${int(BURST)} posts over ${apis.length} API processes, round ${r}/${rounds} → ${label(kind)}`,
      );
      result.accept.push(await acceptRound(stack, apis, loader, stories));
    }
  } catch (error) {
    result.problems.push(
      `${label(kind)}: could not measure: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await stack.close();
  }
  return result;
}

function label(kind: StackRedisKind): string {
  return kind === 'cluster' ? 'Redis Cluster' : 'one Redis';
}

export async function cluster(options: BenchOptions): Promise<void> {
  // One reader generator per API process: generator i connects its readers to API process i.
  const pool = await ReaderPool.start(API_PROCESSES);
  const loader = new Remote(forkBench('gen/open-loop.ts'), 'open-loop');
  try {
    await loader.ready;
    log(
      `cluster: readers ${options.clusterReaders.map(int).join(', ')} (each over ${API_PROCESSES} API processes, ${API_PROCESSES} generator processes); ${WORKER_PROCESSES} workers`,
    );
    const single = await measureTopology('single', options, pool, loader);
    const clustered = await measureTopology('cluster', options, pool, loader);
    report(options, single, clustered);
  } finally {
    await stopProcess(loader.child, 5_000);
    await pool.close();
  }
}

function report(options: BenchOptions, single: TopologyResult, clustered: TopologyResult): void {
  const deliveryValue = (t: TopologyResult, n: number, key: 'p50' | 'p99' | 'max' | 'missing'): number => {
    const rounds = t.delivery.get(n)?.rounds ?? [];
    return rounds.length > 0 ? medianOf(rounds, key) : Number.NaN;
  };
  const rows: string[][] = [];
  for (const n of options.clusterReaders) {
    const connected = (t: TopologyResult) => int(t.delivery.get(n)?.connected ?? Number.NaN);
    rows.push([`${int(n)} readers · connected`, connected(single), connected(clustered), '']);
    for (const [figure, key] of [
      ['p50', 'p50'],
      ['p99', 'p99'],
      ['max = last reader has it', 'max'],
    ] as const) {
      const [a, b] = [deliveryValue(single, n, key), deliveryValue(clustered, n, key)];
      rows.push([`${int(n)} readers · delivery ${figure}`, ms(a), ms(b), ratio(b, a)]);
    }
    const missing = (t: TopologyResult) => int(deliveryValue(t, n, 'missing'));
    rows.push([`${int(n)} readers · missed a post (30 s)`, missing(single), missing(clustered), '']);
  }
  const acceptValue = (t: TopologyResult, key: 'acceptedPerSecond' | 'appliedPerSecond'): number =>
    t.accept.length > 0 ? median(t.accept.map((round) => round[key])) : Number.NaN;
  for (const [figure, key] of [
    [`accepted posts/s, bursts of ${int(BURST)}, ${IN_FLIGHT} in flight`, 'acceptedPerSecond'],
    [`applied posts/s (${WORKER_PROCESSES} workers, from the first POST)`, 'appliedPerSecond'],
  ] as const) {
    const [a, b] = [acceptValue(single, key), acceptValue(clustered, key)];
    rows.push([figure, int(a), int(b), ratio(b, a)]);
  }
  const answers = (t: TopologyResult) => statusCounts(t.accept.flatMap((round) => round.results)) || 'nothing';
  table(
    `cluster: ${API_PROCESSES} API processes and ${WORKER_PROCESSES} workers on one Redis and on a Redis Cluster (${CLUSTER_SHAPE.primaries} primaries × ${CLUSTER_SHAPE.replicasPerPrimary} replica)`,
    ['figure', 'one Redis', 'Redis Cluster', 'cluster / one'],
    rows,
    [
      `delivery: median of ${options.rounds ?? 9} rounds after ${WARM_UP} warm-up posts; readers over ${API_PROCESSES} API processes (one generator process each), the editor posting to the first`,
      `accept: median of ${options.rounds ?? 3} rounds after a warm-up burst; ${STORIES} stories; the workers apply while the burst runs`,
      `answers: one Redis ${answers(single)}; Redis Cluster ${answers(clustered)}`,
      'everything (6 or 1 Redis processes, 3 APIs, 2 workers, the generators) shares the same cores',
      ...single.problems,
      ...clustered.problems,
    ],
  );
}
