/**
 * push: alerts/s from POST (notify: true) until a loopback push service has counted every alert,
 * at 10k and 100k subscribers of a story, against a naive loop (web-push's per-message VAPID
 * signature and encryption, then a POST) at the same concurrency, in the same run.
 */
import type { NaiveParams, NaiveResult } from '../gen/naive-push.ts';
import { startBare } from '../lib/bare.ts';
import { now } from '../lib/clock.ts';
import type { BenchOptions } from '../lib/options.ts';
import { BODY_1KB } from '../lib/payload.ts';
import { cpuSeconds } from '../lib/proc-stat.ts';
import { forkBench, stopProcess } from '../lib/procs.ts';
import { loadPushKeys } from '../lib/push-keys.ts';
import { log, table, target } from '../lib/report.ts';
import { Remote } from '../lib/rpc.ts';
import { startStack } from '../lib/stack.ts';
import { int, median, ratio } from '../lib/stats.ts';
import { insertSubscriptions, type ReceiverStatus } from './push-setup.ts';

/** Our sender's bound per push service (PUSH_PER_ORIGIN_CONCURRENCY default); the naive loop gets the same. */
const CONCURRENCY = 64;
const NAIVE_CAP_MS = 60_000;

interface PushRound {
  seconds: number;
  perSecond: number;
  received: number;
  duplicates: number;
  cpuPerAlertMs: number;
}

export async function push(options: BenchOptions): Promise<void> {
  const sizes = [...options.pushSubscribers].sort((a, b) => a - b);
  const largest = sizes.at(-1) ?? 0;
  loadPushKeys(largest, (missing) => log(`push: generating ${int(missing)} P-256 key pairs (cached for later runs)`));
  const receiver = await startBare('servers/push-receiver.ts', process.env, { count: largest });
  const stack = await startStack({
    name: 'push',
    runDir: options.runDir,
    logLevel: options.logLevel,
    worker: true,
    profileDir: options.profile ? `${options.runDir}/profiles` : undefined,
    env: { PUSH_ENDPOINT_ALLOWLIST: receiver.url },
  });
  const naive = new Remote(forkBench('gen/naive-push.ts'), 'naive-push');
  let done: ((at: number) => void) | null = null;
  receiver.remote.on('done', (data) => done?.((data as { at: number }).at));
  const untilDone = (timeoutMs: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`push service did not count every alert within ${timeoutMs} ms`)),
        timeoutMs,
      );
      done = (at) => {
        clearTimeout(timer);
        resolve(at);
      };
    });
  try {
    await naive.ready;
    await naive.call('prepare', { count: largest });
    const stories = await Promise.all(sizes.map((n) => stack.createStory(`Push bench ${n}`)));
    log(`push: inserting ${int(largest)} subscriptions with the subscription store`);
    await insertSubscriptions(
      stack,
      receiver.url,
      sizes,
      stories.map((s) => s.id),
    );
    const rows: string[][] = [];
    for (const [i, n] of sizes.entries()) {
      const story = stories[i]!;
      const rounds = options.rounds ?? (n >= 50_000 ? 1 : 3);
      const ours: PushRound[] = [];
      const base: PushRound[] = [];
      let payload = '';
      for (let r = 1; r <= rounds; r++) {
        log(`push: ${int(n)} subscribers, Stop Press, round ${r}/${rounds}`);
        await receiver.remote.call('reset', { expect: n });
        const cpu0 = cpuSeconds(stack.worker!.pid!);
        const t0 = now();
        const updateId = `alert-${n}-${r}`;
        const status = await stack.postUpdate(story.id, { id: updateId, body: BODY_1KB, notify: true });
        if (status !== 202) throw new Error(`POST answered ${status}`);
        const at = await untilDone(Math.max(120_000, n * 2));
        const cpu = cpuSeconds(stack.worker!.pid!) - cpu0;
        ours.push(await roundOf(receiver.remote, n, at - t0, cpu));
        // The alert exactly as our fan-out built it (decrypted by the push service), for the naive loop.
        payload ||= (await receiver.remote.call<ReceiverStatus>('status')).lastPayload;

        log(`push: ${int(n)} subscribers, naive loop, round ${r}/${rounds}`);
        await receiver.remote.call('reset', { expect: n });
        const vapid = JSON.parse((await stack.redis.hget(stack.keys.push.vapid, 'pair'))!) as {
          publicKey: string;
          privateKey: string;
        };
        const n0 = cpuSeconds(naive.child.pid!);
        const s0 = now();
        const finished = untilDone(NAIVE_CAP_MS + 60_000).catch(() => Number.NaN);
        const result = await naive.call<NaiveResult>(
          'run',
          {
            origin: receiver.url,
            count: n,
            concurrency: CONCURRENCY,
            payload,
            ttl: 14_400,
            topic: `s${story.id}`.slice(0, 32),
            vapid: { ...vapid, subject: 'mailto:stoppress@localhost' },
            capMs: NAIVE_CAP_MS,
          } satisfies NaiveParams,
          NAIVE_CAP_MS + 120_000,
        );
        const end = result.capped ? result.endAt : await finished;
        base.push(
          await roundOf(receiver.remote, result.sent, end - s0, cpuSeconds(naive.child.pid!) - n0, result.capped),
        );
      }
      const m = (rs: PushRound[], key: keyof PushRound): number => median(rs.map((x) => x[key]));
      rows.push(
        [
          `${int(n)} · seconds until all counted`,
          m(ours, 'seconds').toFixed(1),
          `${m(base, 'seconds').toFixed(1)}${base.some((b) => b.received < n) ? ' (capped)' : ''}`,
          '',
        ],
        [
          `${int(n)} · alerts/s`,
          int(m(ours, 'perSecond')),
          int(m(base, 'perSecond')),
          ratio(m(ours, 'perSecond'), m(base, 'perSecond')),
        ],
        [
          `${int(n)} · sender CPU per alert`,
          `${m(ours, 'cpuPerAlertMs').toFixed(2)} ms`,
          `${m(base, 'cpuPerAlertMs').toFixed(2)} ms`,
          ratio(m(ours, 'cpuPerAlertMs'), m(base, 'cpuPerAlertMs')),
        ],
        [
          `${int(n)} · received / duplicates`,
          `${int(m(ours, 'received'))} / ${int(m(ours, 'duplicates'))}`,
          `${int(m(base, 'received'))} / ${int(m(base, 'duplicates'))}`,
          '',
        ],
        [`${int(n)} · rounds`, String(rounds), String(rounds), ''],
      );
      const speedup = m(ours, 'perSecond') / m(base, 'perSecond');
      if (i === sizes.length - 1 || n === 10_000)
        target({
          scenario: 'push',
          target: `≥ 3× the naive loop (${int(n)} subscribers)`,
          measured: `${speedup.toFixed(2)}×`,
          met: speedup >= 3,
        });
      if (n === 100_000)
        target({
          scenario: 'push',
          target: '100k alerts in < 30 s',
          measured: `${m(ours, 'seconds').toFixed(1)} s`,
          met: m(ours, 'seconds') < 30,
        });
    }
    const status = await receiver.remote.call<ReceiverStatus>('status');
    table(
      'push: POST with notify → every alert counted by a loopback push service',
      ['subscribers · figure', 'Stop Press', 'naive loop', 'ratio'],
      rows,
      [
        `Stop Press: API + one worker process (PUSH_CONCURRENCY 256, PUSH_PER_ORIGIN_CONCURRENCY ${CONCURRENCY}, PUSH_BATCH_SIZE 500); naive loop: ${CONCURRENCY} requests in flight, in its own process`,
        `sender CPU per alert: CPU of our worker process or of the naive loop's process ÷ alerts (the API, Redis and the push service not included); the naive loop stops after ${NAIVE_CAP_MS / 1000} s and is rated over what it sent`,
        `the push service decrypted 1 in 1,000 messages: last round ${status.verified} verified, failures: ${status.verifyFailures.length === 0 ? 'none' : status.verifyFailures.join('; ')}`,
      ],
    );
    if (!sizes.includes(100_000))
      target({
        scenario: 'push',
        target: '100k alerts in < 30 s',
        measured: 'run with --push-subscribers …,100000',
        met: undefined,
      });
  } finally {
    await stopProcess(naive.child, 5_000);
    await stack.close();
    await receiver.stop();
  }
}

async function roundOf(
  receiver: Remote,
  alerts: number,
  elapsedMs: number,
  cpuSeconds: number,
  capped = false,
): Promise<PushRound> {
  const status = await receiver.call<ReceiverStatus>('status');
  return {
    seconds: elapsedMs / 1000,
    perSecond: (status.distinct / elapsedMs) * 1000,
    received: status.distinct,
    duplicates: status.duplicates,
    cpuPerAlertMs: (cpuSeconds * 1000) / Math.max(1, capped ? alerts : status.distinct),
  };
}
