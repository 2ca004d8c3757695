/**
 * accept: (1) POST /updates latency at 200 posts/s, open loop, across 20 stories, against a bare
 * Fastify route doing only `queue.add` and a Fastify hello-world POST; (2) how fast the worker
 * applies a backlog: 5,000 posts queued while the queue is paused, then resumed, counted by the
 * stories' lastSeq, against a bare BullMQ worker (INCR + PUBLISH per job).
 */
import { Queue } from 'bullmq';
import type { BurstParams, LoadResult, OpenParams } from '../gen/open-loop.ts';
import { APPLIED_KEY, BARE_PREFIX, BARE_QUEUE } from '../lib/bare-queue.ts';
import { startBare } from '../lib/bare.ts';
import { now, sleep, waitUntil } from '../lib/clock.ts';
import type { BenchOptions } from '../lib/options.ts';
import { appliedPosts, postTarget, statusCounts } from '../lib/post-target.ts';
import { cpuDuring } from '../lib/proc-stat.ts';
import { forkBench, stopProcess } from '../lib/procs.ts';
import { log, table } from '../lib/report.ts';
import { Remote } from '../lib/rpc.ts';
import { startStack } from '../lib/stack.ts';
import { int, median, medianOf, ms, ratio } from '../lib/stats.ts';
import { QUEUES } from '../../src/queue/jobs.ts';

const RATE = 200;
const DURATION_MS = 10_000;
const BACKLOG = 5_000;

export async function accept(options: BenchOptions): Promise<void> {
  const rounds = options.rounds ?? 3;
  const stack = await startStack({
    name: 'accept',
    runDir: options.runDir,
    logLevel: options.logLevel,
    worker: true,
    profileDir: options.profile ? `${options.runDir}/profiles` : undefined,
  });
  const env = { ...process.env, REDIS_URL: stack.redisUrl };
  const hello = await startBare('servers/hello-server.ts', env);
  const bareWorker = new Remote(forkBench('servers/bare-worker.ts', env), 'bare-worker');
  const loader = new Remote(forkBench('gen/open-loop.ts'), 'open-loop');
  const ourQueue = new Queue(QUEUES.storyOps, { connection: { url: stack.redisUrl }, prefix: 'bench-bull' });
  const bareQueue = new Queue(BARE_QUEUE, { connection: { url: stack.redisUrl }, prefix: BARE_PREFIX });
  try {
    await Promise.all([bareWorker.ready, loader.ready]);
    const stories = await Promise.all(Array.from({ length: 20 }, (_, i) => stack.createStory(`Accept bench ${i + 1}`)));
    const ours = postTarget(stack, stack.api.url, stories, 32);
    const bare = { ...ours, origin: hello.url, paths: ['/enqueue'] };
    const helloPost = { ...ours, origin: hello.url, paths: ['/hello'] };
    const applied = () => appliedPosts(stack, stories);
    const bareApplied = async (): Promise<number> => Number(await stack.redis.get(APPLIED_KEY));

    const open = (target: typeof ours, durationMs: number): Promise<LoadResult> =>
      loader.call<LoadResult>('open', { ...target, rate: RATE, durationMs } satisfies OpenParams, durationMs + 120_000);
    log('accept: warm-up');
    for (const target of [ours, bare, helloPost]) await open(target, 2_000);
    const latency = {
      ours: [] as LoadResult[],
      bare: [] as LoadResult[],
      hello: [] as LoadResult[],
      apiCpu: [] as number[],
      workerCpu: [] as number[],
    };
    for (let r = 1; r <= rounds; r++) {
      log(`accept: ${RATE} posts/s for ${DURATION_MS / 1000} s, round ${r}/${rounds}`);
      const before = await applied();
      const { result, cpu } = await cpuDuring({ api: stack.api.pid, worker: stack.worker!.pid! }, async () => {
        const result = await open(ours, DURATION_MS);
        // The worker's share of these posts is only complete once it has applied them all.
        await waitUntil(
          async () => (await applied()) >= before + result.ok,
          'the worker to apply the round',
          120_000,
          50,
        );
        return result;
      });
      latency.ours.push(result);
      latency.apiCpu.push((cpu.api! / result.ok) * 1000);
      latency.workerCpu.push((cpu.worker! / result.ok) * 1000);
      latency.bare.push(await open(bare, DURATION_MS));
      latency.hello.push(await open(helloPost, DURATION_MS));
    }

    const backlog = {
      ours: [] as number[],
      bare: [] as number[],
      acceptOurs: [] as number[],
      acceptBare: [] as number[],
      burstOurs: [] as LoadResult[],
    };
    for (let r = 1; r <= rounds; r++) {
      log(`accept: backlog of ${int(BACKLOG)} posts, round ${r}/${rounds}`);
      const o = await drain(ourQueue, loader, ours, applied);
      backlog.ours.push(o.applyPerSecond);
      backlog.acceptOurs.push(o.burst.perSecond);
      backlog.burstOurs.push(o.burst);
      const b = await drain(bareQueue, loader, bare, bareApplied);
      backlog.bare.push(b.applyPerSecond);
      backlog.acceptBare.push(b.burst.perSecond);
    }

    const row = (figure: string, key: keyof LoadResult, format = ms): string[] => {
      const [o, b, h] = [medianOf(latency.ours, key), medianOf(latency.bare, key), medianOf(latency.hello, key)];
      return [figure, format(o), format(b), ratio(o, b), format(h)];
    };
    const answers = statusCounts([...latency.ours, ...backlog.burstOurs]);
    table(
      `accept: POST /updates at ${RATE}/s (open loop, 20 stories, 1 KB bodies) and worker throughput`,
      ['figure', 'Stop Press', 'bare queue.add', 'ratio', 'hello POST'],
      [
        row('POST latency p50', 'p50'),
        row('POST latency p99', 'p99'),
        row('POST latency max', 'max'),
        row('achieved posts/s', 'perSecond', int),
        ['API CPU per accepted post', ms(median(latency.apiCpu)), '', '', ''],
        ['worker CPU per applied post', ms(median(latency.workerCpu)), '', '', ''],
        [
          `accepted posts/s, ${int(BACKLOG)} burst, 32 in flight`,
          int(median(backlog.acceptOurs)),
          int(median(backlog.acceptBare)),
          ratio(median(backlog.acceptOurs), median(backlog.acceptBare)),
          '',
        ],
        [
          `worker applied events/s (${int(BACKLOG)} backlog)`,
          int(median(backlog.ours)),
          int(median(backlog.bare)),
          ratio(median(backlog.ours), median(backlog.bare)),
          '',
        ],
      ],
      [
        `median of ${rounds} rounds each; latency is measured from when each request was due (open loop), ${RATE}/s for ${DURATION_MS / 1000} s after a 2 s warm-up`,
        `Stop Press answered ${answers} over all rounds; the worker applied each round's posts before the next target ran`,
        'the worker baseline is a plain BullMQ worker (concurrency 16) doing INCR + PUBLISH per job; ours renders Markdown, sanitizes and runs the apply script',
        'CPU per post: CPU seconds of the process during a round ÷ posts (10 ms tick resolution, summed over ~2,000 posts)',
      ],
    );
  } finally {
    await Promise.all([ourQueue.close(), bareQueue.close()]);
    await Promise.all([stopProcess(loader.child, 5_000), stopProcess(bareWorker.child, 5_000), hello.stop()]);
    await stack.close();
  }
}

/** Pauses the queue, posts BACKLOG jobs through HTTP, resumes, and times the drain. */
async function drain(
  queue: Queue,
  loader: Remote,
  target: Omit<BurstParams, 'total' | 'concurrency'>,
  applied: () => Promise<number>,
) {
  await queue.pause();
  const before = await applied();
  const burst = await loader.call<LoadResult>(
    'burst',
    { ...target, total: BACKLOG, concurrency: 32 } satisfies BurstParams,
    300_000,
  );
  const t0 = now();
  await queue.resume();
  await waitUntil(async () => (await applied()) >= before + burst.ok, 'the backlog to drain', 300_000, 20);
  const applyPerSecond = (burst.ok / (now() - t0)) * 1000;
  await sleep(500);
  return { applyPerSecond, burst };
}
