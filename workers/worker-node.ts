/**
 * Builds one worker node from a Config: the story-ops BullMQ worker and the Socket.IO Redis
 * emitter it publishes through. workers/main.ts runs it as a process; tests build it too.
 */
import { Emitter } from '@socket.io/redis-emitter';
import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../src/config.ts';
import type { ServerToClientEvents } from '../src/domain/events.ts';
import { QUEUES, type StoryOpJob, type StoryOpJobResult } from '../src/queue/jobs.ts';
import { bullmqConnectionOptions, createRedis } from '../src/redis.ts';
import { createKeys } from '../src/store/keys.ts';
import { createStoryStore } from '../src/store/story-store.ts';
import { createPublishProcessor } from './publish.worker.ts';

export interface WorkerNode {
  worker: Worker<StoryOpJob, StoryOpJobResult>;
  /** Lets the jobs in flight finish, then closes the connections. */
  close(): Promise<void>;
}

export function createWorkerNode(config: Config, logger: Logger): WorkerNode {
  const keys = createKeys(config.keyPrefix);
  const redis = createRedis(config.redisUrl, logger, 'worker');
  const pubClient = createRedis(config.redisUrl, logger, 'worker-pub');
  const store = createStoryStore(redis, keys, { maxPinned: config.maxPinned, logMaxEvents: config.logMaxEvents });
  const emitter = new Emitter<ServerToClientEvents>(pubClient, { key: keys.socketIo });
  const processor = createPublishProcessor({ store, emitter, logger });

  const worker = new Worker<StoryOpJob, StoryOpJobResult>(QUEUES.storyOps, processor, {
    connection: bullmqConnectionOptions(config.redisUrl),
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    // A worker that dies mid-job is noticed within seconds; the job is retried elsewhere.
    lockDuration: 10_000,
    stalledInterval: 5_000,
    maxStalledCount: 10,
  });
  worker.on('failed', (job, error) => logger.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'story op failed'));
  worker.on('error', (error) => logger.warn({ err: error }, 'worker error'));

  return {
    worker,
    async close() {
      await worker.close();
      await Promise.all([redis, pubClient].map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}
