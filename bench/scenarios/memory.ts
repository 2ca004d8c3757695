/**
 * memory: resident memory of the API process per connected, subscribed reader: RSS with no
 * readers vs with N, (delta / N). Baseline: the bare Socket.IO server, same readers, same run.
 */
import { startBare } from '../lib/bare.ts';
import { now, sleep } from '../lib/clock.ts';
import type { BenchOptions } from '../lib/options.ts';
import { rssKb } from '../lib/proc-stat.ts';
import { ReaderPool } from '../lib/reader-pool.ts';
import { log, table, target } from '../lib/report.ts';
import { startStack } from '../lib/stack.ts';
import { int, median, ratio } from '../lib/stats.ts';

const SAMPLES = 5;

interface MemoryRound {
  idleKb: number;
  loadedKb: number;
  perReaderKb: number;
  connected: number;
}

async function steadyRss(pid: number): Promise<number> {
  await sleep(3_000); // let the connect burst's garbage be collected
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    samples.push(rssKb(pid));
    await sleep(400);
  }
  return median(samples);
}

async function measure(pool: ReaderPool, url: string, pid: number, storyId: string, n: number): Promise<MemoryRound> {
  const connect = (total: number) =>
    pool.connect({ url, total, subscribe: { storyId }, startAt: now(), rampMs: 0, concurrency: 64, trackSeqs: false });
  // A few readers first, so the idle figure already includes the loaded Socket.IO code paths.
  await connect(100);
  await pool.disconnect();
  const idleKb = await steadyRss(pid);
  const { connected } = await connect(n);
  const loadedKb = await steadyRss(pid);
  await pool.disconnect();
  return { idleKb, loadedKb, perReaderKb: (loadedKb - idleKb) / Math.max(1, connected), connected };
}

export async function memory(options: BenchOptions): Promise<void> {
  const rounds = options.rounds ?? 1;
  const n = options.memoryReaders;
  const pool = await ReaderPool.start(options.generators);
  const stack = await startStack({ name: 'memory', runDir: options.runDir, logLevel: options.logLevel, worker: false });
  const bare = await startBare('baseline-socketio-server.ts');
  try {
    const story = await stack.createStory('Memory bench');
    const ours: MemoryRound[] = [];
    const base: MemoryRound[] = [];
    for (let r = 1; r <= rounds; r++) {
      log(`memory: ${int(n)} readers, round ${r}/${rounds}`);
      ours.push(await measure(pool, stack.api.url, stack.api.pid, story.id, n));
      base.push(await measure(pool, bare.url, bare.pid, story.id, n));
    }
    const m = (rs: MemoryRound[], key: keyof MemoryRound): number => median(rs.map((x) => x[key]));
    const row = (figure: string, key: keyof MemoryRound, format: (v: number) => string): string[] => [
      figure,
      format(m(ours, key)),
      format(m(base, key)),
      ratio(m(ours, key), m(base, key)),
    ];
    const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;
    const perReader = m(ours, 'perReaderKb');
    table(
      `memory: RSS of the server process, 0 vs ${int(n)} subscribed readers`,
      ['figure', 'Stop Press API', 'bare Socket.IO', 'ratio'],
      [
        row('readers connected', 'connected', int),
        row('RSS, no readers', 'idleKb', mb),
        row(`RSS, ${int(n)} readers`, 'loadedKb', mb),
        row('RSS per reader', 'perReaderKb', (kb) => `${kb.toFixed(1)} KB`),
      ],
      [
        `median of ${SAMPLES} samples (400 ms apart, 3 s after connecting) in each of ${rounds} round(s); heavy, so ${rounds} by default`,
        'RSS includes garbage not yet collected and memory V8 keeps for reuse, as an operator would see it',
      ],
    );
    target({
      scenario: 'memory',
      target: 'RSS ≤ 30 KB per reader',
      measured: `${perReader.toFixed(1)} KB`,
      met: perReader <= 30,
    });
  } finally {
    await bare.stop();
    await stack.close();
    await pool.close();
  }
}
