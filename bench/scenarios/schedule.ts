/**
 * schedule: 100 posts scheduled for the same second; how late each one's event reaches a Socket.IO
 * reader after its due time (the scheduled-publish queue, the claim, the create op, the emit),
 * against a bare baseline in the same run: 100 plain BullMQ delayed jobs due at the same moment,
 * whose worker emits on a bare Socket.IO server to a reader.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { now, sleep, waitUntil } from '../lib/clock.ts';
import type { BenchOptions } from '../lib/options.ts';
import { log, table, target } from '../lib/report.ts';
import { startStack, type Stack } from '../lib/stack.ts';
import { ms, ratio, spread } from '../lib/stats.ts';

const POSTS = 100;
/** Far enough ahead for 100 POSTs to be accepted before the time (the API wants ≥ 5 s). */
const LEAD_MS = 8_000;
const BARE_QUEUE = 'bench-delayed';
const BARE_PREFIX = 'bench-bare';

/** The next whole second at least LEAD_MS from now: every post of a round is due then. */
function dueSecond(): number {
  return Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
}

async function oursRound(stack: Stack, round: number): Promise<number[]> {
  const story = await stack.createStory(`Schedule bench ${round}`);
  const socket: Socket = connect(stack.api.url, { transports: ['websocket'] });
  const arrivals = new Map<string, number>();
  socket.on('story-event', (event: { type: string; update?: { id: string } }) => {
    if (event.type === 'update.created' && event.update) arrivals.set(event.update.id, now());
  });
  try {
    await new Promise((resolve) => socket.emit('subscribe', { storyId: story.id }, resolve));
    const due = dueSecond();
    const publishAt = new Date(due).toISOString();
    const ids = Array.from({ length: POSTS }, (_, i) => `s${round}-${i}`);
    for (let i = 0; i < POSTS; i += 10) {
      const statuses = await Promise.all(
        ids.slice(i, i + 10).map((id) => stack.postUpdate(story.id, { id, body: `Scheduled ${id}`, publishAt })),
      );
      if (statuses.some((status) => status !== 202)) throw new Error(`schedule answered ${statuses.join(',')}`);
    }
    if (Date.now() >= due) throw new Error('the posts were not all scheduled before their time');
    await waitUntil(() => arrivals.size >= POSTS, 'the scheduled events', due - Date.now() + 60_000, 20);
    return ids.map((id) => arrivals.get(id)! - due);
  } finally {
    socket.disconnect();
  }
}

/** A bare Socket.IO server and a BullMQ worker emitting on it, in this process. */
async function startBaseline(redisUrl: string) {
  const http = createServer();
  const io = new Server(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const connection = { url: redisUrl };
  const queue = new Queue(BARE_QUEUE, { connection, prefix: BARE_PREFIX });
  const worker = new Worker(
    BARE_QUEUE,
    async (job) => {
      io.emit('e', job.data.i);
    },
    { connection, prefix: BARE_PREFIX, concurrency: 16 },
  );
  return {
    url,
    queue,
    async close() {
      await worker.close();
      await queue.close();
      io.close();
    },
  };
}

async function bareRound(baseline: Awaited<ReturnType<typeof startBaseline>>, round: number): Promise<number[]> {
  const socket: Socket = connect(baseline.url, { transports: ['websocket'] });
  const arrivals = new Map<number, number>();
  socket.on('e', (i: number) => arrivals.set(i, now()));
  try {
    await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
    const due = dueSecond();
    const jobs = Array.from({ length: POSTS }, (_, i) => ({
      name: 'publish',
      data: { i },
      opts: { jobId: `r${round}-${i}`, delay: due - Date.now(), removeOnComplete: true },
    }));
    await baseline.queue.addBulk(jobs);
    await waitUntil(() => arrivals.size >= POSTS, 'the bare events', due - Date.now() + 60_000, 20);
    return Array.from({ length: POSTS }, (_, i) => arrivals.get(i)! - due);
  } finally {
    socket.disconnect();
  }
}

export async function schedule(options: BenchOptions): Promise<void> {
  const rounds = options.rounds ?? 3;
  const stack = await startStack({
    name: 'schedule',
    runDir: options.runDir,
    logLevel: options.logLevel,
    worker: true,
  });
  const baseline = await startBaseline(stack.redisUrl);
  const ours: number[] = [];
  const bare: number[] = [];
  try {
    for (let r = 1; r <= rounds; r++) {
      log(`schedule: ${POSTS} posts due in the same second, round ${r}/${rounds}`);
      ours.push(...(await oursRound(stack, r)));
      log(`schedule: ${POSTS} bare delayed jobs, round ${r}/${rounds}`);
      bare.push(...(await bareRound(baseline, r)));
      await sleep(200);
    }
  } finally {
    await baseline.close();
    await stack.close();
  }
  const o = spread(ours);
  const b = spread(bare);
  const early = ours.filter((late) => late < 0).length;
  table(
    `schedule: lateness of ${POSTS} posts scheduled for the same second, due time → event at a Socket.IO reader`,
    ['figure', 'Stop Press', 'bare delayed job + emit', 'ratio'],
    [
      ['lateness p50', ms(o.p50), ms(b.p50), ratio(o.p50, b.p50)],
      ['lateness p99', ms(o.p99), ms(b.p99), ratio(o.p99, b.p99)],
      ['lateness max', ms(o.max), ms(b.max), ratio(o.max, b.max)],
    ],
    [
      `${rounds} rounds of ${POSTS} posts each, all values pooled (${ours.length} per column); ${early} of ours arrived before the due time`,
      'ours: POST with publishAt → scheduled-publish delayed job → claim script → create op applied → SPUBLISH → API → reader',
      'bare: BullMQ delayed jobs with the same due time, a worker (concurrency 16) emitting on a plain Socket.IO server',
    ],
  );
  target({
    scenario: 'schedule',
    target: 'scheduled posts published within 1 s (p99, 100 due at once)',
    measured: ms(o.p99),
    met: o.p99 <= 1000 && early === 0,
  });
}
