/**
 * storm: N readers connect and subscribe with `after` a few events behind, spread over 10 s,
 * while the editor keeps posting once a second. Measures when every reader is live (subscribe
 * acked, replay received) and whether each holds every event from `after` on, with no gap; any
 * failed connect, failed subscribe, drop or gap counts as an error. Baseline: the bare Socket.IO
 * server with an in-memory replay, the same readers and the same posting.
 */
import type { StoryEvent } from '../../src/domain/events.ts';
import type { ConnectResult } from '../gen/readers.ts';
import { startBare } from '../lib/bare.ts';
import { now, sleep, waitUntil } from '../lib/clock.ts';
import { listenOverflows } from '../lib/netstat.ts';
import { cpuSeconds } from '../lib/proc-stat.ts';
import type { BenchOptions } from '../lib/options.ts';
import { BODY_1KB } from '../lib/payload.ts';
import { ReaderPool } from '../lib/reader-pool.ts';
import { log, table, target } from '../lib/report.ts';
import { startStack } from '../lib/stack.ts';
import { int, median, ms, percentile, ratio } from '../lib/stats.ts';
import { bareBroadcast } from './delivery-rounds.ts';

const RAMP_MS = 10_000;
const BEHIND = 5;
const POSTS = 10;

interface StormRound {
  allLiveMs: number;
  p50: number;
  p99: number;
  errors: number;
  incomplete: number;
  overflows: number;
  cpuPerReaderMs: number;
  firstErrors: string[];
}

export async function storm(options: BenchOptions): Promise<void> {
  const rounds = options.rounds ?? 2;
  const n = options.stormReaders;
  const pool = await ReaderPool.start(options.generators);
  const stack = await startStack({
    name: 'storm',
    runDir: options.runDir,
    logLevel: options.logLevel,
    worker: true,
    profileDir: options.profile ? `${options.runDir}/profiles` : undefined,
  });
  const bare = await startBare('baseline-socketio-server.ts');
  try {
    const story = await stack.createStory('Storm bench');
    for (let i = 0; i < 2 * BEHIND; i++) await stack.postUpdate(story.id, { body: BODY_1KB });
    await waitUntil(async () => (await stack.lastSeq(story.id)) === 2 * BEHIND, 'the first events', 30_000);
    const template = (
      (await (await fetch(`${stack.api.url}/api/stories/${story.id}/events?after=0&limit=1`)).json()) as {
        events: StoryEvent[];
      }
    ).events[0]!;
    let bareSeq = 0;
    const bareSend = async (): Promise<number> => {
      await bareBroadcast(bare.url, story.id, template, `bare-${++bareSeq}`);
      return bareSeq;
    };
    for (let i = 0; i < 2 * BEHIND; i++) await bareSend();

    const ours: StormRound[] = [];
    const base: StormRound[] = [];
    for (let r = 1; r <= rounds; r++) {
      log(`storm: ${int(n)} readers → Stop Press, round ${r}/${rounds}`);
      const seq = await stack.lastSeq(story.id);
      ours.push(
        await stormRound(
          pool,
          stack.api.pid,
          stack.api.url,
          { storyId: story.id, after: seq - BEHIND, epoch: story.epoch },
          n,
          async () => stack.postUpdate(story.id, { body: BODY_1KB }).then(() => undefined),
          async () => {
            await waitUntil(async () => (await stack.lastSeq(story.id)) >= seq + POSTS, 'the worker', 30_000);
            return stack.lastSeq(story.id);
          },
        ),
      );
      log(`storm: ${int(n)} readers → bare Socket.IO, round ${r}/${rounds}`);
      base.push(
        await stormRound(
          pool,
          bare.pid,
          bare.url,
          { storyId: story.id, after: bareSeq - BEHIND },
          n,
          async () => void (await bareSend()),
          async () => bareSeq,
        ),
      );
    }
    const row = (figure: string, key: keyof StormRound, format: (v: number) => string = ms): string[] => {
      const [o, b] = [median(ours.map((x) => Number(x[key]))), median(base.map((x) => Number(x[key])))];
      return [figure, format(o), format(b), ratio(o, b)];
    };
    // Errors must be zero in every round, so these are totals, not medians.
    const total = (figure: string, key: 'errors' | 'incomplete'): string[] => [
      figure,
      int(ours.reduce((s, x) => s + x[key], 0)),
      int(base.reduce((s, x) => s + x[key], 0)),
      '',
    ];
    const errors = ours.reduce((sum, x) => sum + x.errors, 0);
    table(
      `storm: ${int(n)} readers connect + subscribe {after: lastSeq − ${BEHIND}} within ${RAMP_MS / 1000} s, 1 post/s meanwhile`,
      ['figure', 'Stop Press', 'bare Socket.IO', 'ratio'],
      [
        row('all readers live (from storm start)', 'allLiveMs'),
        row('per reader: connect → live, p50', 'p50'),
        row('per reader: connect → live, p99', 'p99'),
        total('errors (connect, subscribe, drops), all rounds', 'errors'),
        total('readers with a gap at the end, all rounds', 'incomplete'),
        row('kernel accept-queue overflows', 'overflows', int),
        row('server CPU per reader (incl. the 10 broadcasts)', 'cpuPerReaderMs', (v) => `${v.toFixed(2)} ms`),
      ],
      [
        `median of ${rounds} rounds (heavy: ${int(n)} new connections each)`,
        'accept-queue overflows: /proc/net/netstat ListenOverflows during the round (system-wide): SYNs dropped because the server did not accept() in time; the client retries after 1, 3, 7… s',
        ...ours
          .flatMap((x) => x.firstErrors)
          .slice(0, 3)
          .map((e) => `Stop Press error: ${e}`),
      ],
    );
    target({
      scenario: 'storm',
      target: 'zero errors while 10k readers join within 10 s',
      measured: `${int(errors)} errors over ${rounds} rounds`,
      met: errors === 0,
    });
  } finally {
    await bare.stop();
    await stack.close();
    await pool.close();
  }
}

async function stormRound(
  pool: ReaderPool,
  serverPid: number,
  url: string,
  subscribe: { storyId: string; after: number; epoch?: string },
  n: number,
  post: () => Promise<void>,
  finalSeq: () => Promise<number>,
): Promise<StormRound> {
  const overflows = listenOverflows();
  const cpu0 = cpuSeconds(serverPid);
  const startAt = now() + 1_000;
  const posting = (async () => {
    for (let i = 0; i < POSTS; i++) {
      await sleep(startAt + (i + 0.5) * (RAMP_MS / POSTS) - now());
      await post();
    }
  })();
  const conn: ConnectResult = await pool.connect({
    url,
    total: n,
    subscribe,
    startAt,
    rampMs: RAMP_MS,
    concurrency: 0,
    trackSeqs: true,
  });
  await posting;
  const last = await finalSeq();
  let gaps = await pool.gaps(subscribe.after + 1, last);
  const deadline = Date.now() + 30_000;
  while (gaps.incomplete > 0 && Date.now() < deadline) {
    await sleep(250);
    gaps = await pool.gaps(subscribe.after + 1, last);
  }
  const errors = await pool.errors();
  const cpuPerReaderMs = ((cpuSeconds(serverPid) - cpu0) * 1000) / n;
  await pool.disconnect();
  return {
    allLiveMs: conn.lastReadyAt - startAt,
    p50: percentile(conn.readyMs, 50),
    p99: percentile(conn.readyMs, 99),
    errors: errors.failed,
    incomplete: gaps.incomplete,
    overflows: listenOverflows() - overflows,
    cpuPerReaderMs,
    firstErrors: errors.errors,
  };
}
