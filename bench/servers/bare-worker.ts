/**
 * The bare baseline of our worker, in its own process: a plain BullMQ worker with the same
 * concurrency and lock settings, whose job is the least an apply can be: one INCR (the seq) and
 * one PUBLISH of the job (the broadcast), in one round trip. No Markdown, no sanitizer, no Lua.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { APPLIED_KEY, BARE_PREFIX, BARE_QUEUE } from '../lib/bare-queue.ts';
import { serve } from '../lib/rpc.ts';

const url = process.env.REDIS_URL ?? '';
const redis = new Redis(url);
const worker = new Worker(
  BARE_QUEUE,
  async (job) => {
    await redis.multi().incr(APPLIED_KEY).publish('bench-bare:events', JSON.stringify(job.data)).exec();
  },
  {
    connection: { url, maxRetriesPerRequest: null },
    prefix: BARE_PREFIX,
    concurrency: Number(process.env.WORKER_CONCURRENCY ?? 16),
    lockDuration: 10_000,
    stalledInterval: 5_000,
  },
);

serve({ running: () => worker.isRunning() });
process.on(
  'SIGTERM',
  () =>
    void worker
      .close()
      .then(() => redis.quit())
      .finally(() => process.exit(0)),
);
