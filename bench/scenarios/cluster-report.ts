/** The shape of the cluster scenario, and its table: one Redis and the cluster side by side, and their ratio. */
import type { LoadResult } from '../gen/open-loop.ts';
import type { BenchOptions } from '../lib/options.ts';
import { statusCounts } from '../lib/post-target.ts';
import { table } from '../lib/report.ts';
import { CLUSTER_SHAPE, type StackRedisKind } from '../lib/stack-redis.ts';
import { int, median, medianOf, ms, ratio } from '../lib/stats.ts';
import { WARM_UP, type DeliveryRound } from './delivery-rounds.ts';

export const API_PROCESSES = 3;
export const WORKER_PROCESSES = 2;
/** Posts per accept round, and requests in flight over all API processes (as in accept). */
export const BURST = 3_000;
export const IN_FLIGHT = 32;

export interface AcceptRound {
  /** Posts answered 202 per second of the burst. */
  acceptedPerSecond: number;
  /** Posts applied per second, from the first POST until the workers had applied all of them. */
  appliedPerSecond: number;
  results: LoadResult[];
}

/** What one topology measured. */
export interface Side {
  kind: StackRedisKind;
  /** Per reader count. */
  delivery: Map<number, { connected: number; rounds: DeliveryRound[] }>;
  accept: AcceptRound[];
  problems: string[];
  /** A step failed: the side was left out of the rest of the run. */
  broken?: boolean;
}

function deliveryRows(n: number, single: Side, clustered: Side): string[][] {
  const value = (side: Side, key: 'p50' | 'p99' | 'max' | 'missing'): number => {
    const rounds = side.delivery.get(n)?.rounds ?? [];
    return rounds.length > 0 ? medianOf(rounds, key) : Number.NaN;
  };
  const connected = (side: Side) => int(side.delivery.get(n)?.connected ?? Number.NaN);
  const rows = [[`${int(n)} readers · connected`, connected(single), connected(clustered), '']];
  for (const [figure, key] of [
    ['p50', 'p50'],
    ['p99', 'p99'],
    ['max = last reader has it', 'max'],
  ] as const) {
    const [a, b] = [value(single, key), value(clustered, key)];
    rows.push([`${int(n)} readers · delivery ${figure}`, ms(a), ms(b), ratio(b, a)]);
  }
  const missing = (side: Side) => int(value(side, 'missing'));
  rows.push([`${int(n)} readers · missed a post (30 s)`, missing(single), missing(clustered), '']);
  return rows;
}

function acceptRows(single: Side, clustered: Side): string[][] {
  const value = (side: Side, key: 'acceptedPerSecond' | 'appliedPerSecond'): number =>
    side.accept.length > 0 ? median(side.accept.map((round) => round[key])) : Number.NaN;
  return (
    [
      [`accepted posts/s, bursts of ${int(BURST)}, ${IN_FLIGHT} in flight`, 'acceptedPerSecond'],
      [`applied posts/s (${WORKER_PROCESSES} workers, from the first POST)`, 'appliedPerSecond'],
    ] as const
  ).map(([figure, key]) => {
    const [a, b] = [value(single, key), value(clustered, key)];
    return [figure, int(a), int(b), ratio(b, a)];
  });
}

export function reportCluster(options: BenchOptions, single: Side, clustered: Side): void {
  const answers = (side: Side) => statusCounts(side.accept.flatMap((round) => round.results)) || 'none';
  table(
    `cluster: ${API_PROCESSES} API processes and ${WORKER_PROCESSES} workers on one Redis and on a Redis Cluster (${CLUSTER_SHAPE.primaries} primaries × ${CLUSTER_SHAPE.replicasPerPrimary} replica)`,
    ['figure', 'one Redis', 'Redis Cluster', 'cluster / one'],
    [...options.clusterReaders.flatMap((n) => deliveryRows(n, single, clustered)), ...acceptRows(single, clustered)],
    [
      `both stacks run side by side and their rounds alternate; delivery: median of ${options.rounds ?? 9} rounds after ${WARM_UP} warm-up posts, readers of each stack connected at once, spread over its ${API_PROCESSES} API processes (one generator process each), the editor posting to the first`,
      `accept: median of ${options.rounds ?? 3} bursts after a warm-up burst; 20 stories; the workers apply while the burst runs`,
      `answers to the bursts: one Redis ${answers(single)}; Redis Cluster ${answers(clustered)}`,
      'everything (7 Redis processes, 6 APIs, 4 workers, 6 reader generators, the poster) shares the same cores',
      ...single.problems,
      ...clustered.problems,
    ],
  );
}
