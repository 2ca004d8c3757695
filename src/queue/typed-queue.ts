/**
 * BullMQ queues and workers bound to one name of the queue map (jobs.ts). A TypedQueue<N> takes
 * only N's payloads and is not interchangeable with another queue's; a worker for N takes only a
 * processor of N's jobs. The API and the workers open every queue through here.
 */
import { Queue, Worker, type ConnectionOptions, type Processor, type WorkerOptions } from 'bullmq';
import type { RedisClient } from '../redis/connections.ts';
import type { JobData, JobResult, QueueName } from './jobs.ts';

/** The queue's name is part of its type, so two queues with look-alike payloads are not swapped either. */
export type TypedQueue<N extends QueueName> = Queue<JobData<N>, JobResult<N>> & { readonly name: N };

export type JobProcessor<N extends QueueName> = Processor<JobData<N>, JobResult<N>>;

/** One processor per queue of the map, each of its own queue's jobs: none missing, none swapped. */
export type QueueProcessors = { [N in QueueName]: { processor: JobProcessor<N>; concurrency: number } };

export function openQueue<N extends QueueName>(name: N, connection: ConnectionOptions, prefix: string): TypedQueue<N> {
  return new Queue<JobData<N>, JobResult<N>>(name, { connection, prefix }) as TypedQueue<N>;
}

export function startWorker<N extends QueueName>(
  name: N,
  processor: NoInfer<JobProcessor<N>>,
  options: WorkerOptions,
): Worker<JobData<N>, JobResult<N>> {
  return new Worker<JobData<N>, JobResult<N>>(name, processor, options);
}

/**
 * The ioredis connection a queue adds its jobs on (BullMQ wraps it in a proxy that forwards
 * everything else), for the commands that must run on the connection that wrote: Redis WAIT.
 */
export async function queueConnection(queue: Queue): Promise<RedisClient> {
  return (await queue.getBackend().client) as unknown as RedisClient;
}
