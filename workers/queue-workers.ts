/**
 * Starts one BullMQ worker per queue of the queue map, each with the processor the map types for
 * it (QueueProcessors: none missing, none swapped), and logs what fails.
 */
import type { ConnectionOptions, Worker, WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { QueueName } from '../src/queue/jobs.ts';
import { startWorker, type QueueProcessors } from '../src/queue/typed-queue.ts';

const LOCKS = {
  // A worker that dies mid-job is noticed within seconds; the job is retried elsewhere.
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 10,
} as const satisfies Partial<WorkerOptions>;

export function startQueueWorkers(
  processors: QueueProcessors,
  queues: { connection: ConnectionOptions; prefix: string },
  logger: Logger,
): Worker[] {
  function start<N extends QueueName>(name: N, entry: QueueProcessors[N]): Worker {
    const worker = startWorker(name, entry.processor, {
      ...LOCKS,
      connection: queues.connection,
      prefix: queues.prefix,
      concurrency: entry.concurrency,
    });
    worker.on('failed', (job, error) =>
      logger.warn({ queue: name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'),
    );
    worker.on('error', (error) => logger.warn({ queue: name, err: error }, 'worker error'));
    return worker as Worker;
  }
  return (Object.keys(processors) as QueueName[]).map((name) => start(name, processors[name]));
}
