/**
 * delivery: N readers subscribed over websocket; an editor posts a 1 KB update through the HTTP
 * API; latency from the POST to its arrival at every reader. Baseline: a bare Socket.IO server
 * broadcasting the very same event to the same N readers, in the same run.
 */
import { startBare } from '../lib/bare.ts';
import { openFilesLimit } from '../lib/machine.ts';
import type { BenchOptions } from '../lib/options.ts';
import { BODY_1KB } from '../lib/payload.ts';
import { ReaderPool } from '../lib/reader-pool.ts';
import { log, table, target } from '../lib/report.ts';
import { startStack } from '../lib/stack.ts';
import { int, medianOf, ms, ratio } from '../lib/stats.ts';
import { bareBroadcast, deliveryPhase as phase, WARM_UP, type DeliveryRound, type Phase } from './delivery-rounds.ts';

export async function delivery(options: BenchOptions): Promise<void> {
  const rounds = options.rounds ?? 9;
  const pool = await ReaderPool.start(options.generators);
  const stack = await startStack({
    name: 'delivery',
    runDir: options.runDir,
    logLevel: options.logLevel,
    worker: true,
    profileDir: options.profile ? `${options.runDir}/profiles` : undefined,
  });
  const bare = await startBare('baseline-socketio-server.ts');
  try {
    const story = await stack.createStory('Delivery bench');
    const rows: string[][] = [];
    const notes = [
      `median of ${rounds} rounds (one post each, after ${WARM_UP} warm-up posts) per reader count; readers stay connected between rounds`,
      `readers spread over ${options.generators} generator processes; arrival times include their own decoding on the shared cores`,
      'server CPU per post: CPU time of the API process (or the bare server) from the POST until every reader had it; 10 ms tick resolution',
    ];
    for (const n of options.readers) {
      const limit = openFilesLimit(stack.api.pid).soft;
      if (limit < n + 100)
        notes.push(
          `each server process may open ${int(limit)} files (hard limit); ${int(n)} readers need about ${int(n + 100)}: raise the hard \`ulimit -n\` (needs privileges) in the shell that runs the bench`,
        );
      log(`delivery: ${int(n)} readers → Stop Press`);
      const ours = await phase(pool, stack.api.url, stack.api.pid, story.id, n, rounds, async (id) => {
        const status = await stack.postUpdate(story.id, { id, body: BODY_1KB });
        if (status !== 202) throw new Error(`POST answered ${status}`);
      });
      log(`delivery: ${int(n)} readers → bare Socket.IO`);
      const sample = ours.sample;
      const base = sample
        ? await phase(pool, bare.url, bare.pid, story.id, n, rounds, (id) =>
            bareBroadcast(bare.url, story.id, sample, id),
          )
        : { connected: 0, rounds: [], sample: null, problems: ['not run: no event from Stop Press to replay'] };
      rows.push(...deliveryRows(n, ours, base));
      notes.push(
        ...ours.problems.map((p) => `Stop Press, ${int(n)} readers: ${p}`),
        ...base.problems.map((p) => `bare, ${int(n)} readers: ${p}`),
      );
      const p99 = medianOf(ours.rounds, 'p99') / medianOf(base.rounds, 'p99');
      if (n === 10_000)
        target({
          scenario: 'delivery',
          target: 'p99 ≤ 1.5× bare Socket.IO at 10k readers',
          measured: `${p99.toFixed(2)}×`,
          met: p99 <= 1.5,
        });
      if (n === 20_000) {
        const missed = ours.rounds.length > 0 ? medianOf(ours.rounds, 'missing') : n;
        target({
          scenario: 'delivery',
          target: 'one API process holds 20k readers',
          measured: `${int(ours.connected)} connected, ${int(missed)} missed a post`,
          met: ours.connected === n && missed === 0,
        });
      }
    }
    if (!options.readers.includes(20_000))
      target({
        scenario: 'delivery',
        target: 'one API process holds 20k readers',
        measured: 'run with --readers 20000',
        met: undefined,
      });
    table(
      'delivery: POST (or bare broadcast) → arrival at every reader',
      ['readers · figure', 'Stop Press', 'bare Socket.IO', 'ratio'],
      rows,
      notes,
    );
  } finally {
    await bare.stop();
    await stack.close();
    await pool.close();
  }
}

function deliveryRows(n: number, ours: Phase, base: Phase): string[][] {
  const value = (p: Phase, key: keyof DeliveryRound): number =>
    p.rounds.length > 0 ? medianOf(p.rounds, key) : Number.NaN;
  const row = (figure: string, key: keyof DeliveryRound, format: (v: number) => string = ms): string[] => [
    `${int(n)} · ${figure}`,
    format(value(ours, key)),
    format(value(base, key)),
    ratio(value(ours, key), value(base, key)),
  ];
  return [
    [`${int(n)} · readers connected`, int(ours.connected), int(base.connected), ''],
    row('p50', 'p50'),
    row('p99', 'p99'),
    row('max = last reader has it', 'max'),
    row('readers missed a post (30 s)', 'missing', int),
    row('server CPU per post', 'cpuMs'),
  ];
}
