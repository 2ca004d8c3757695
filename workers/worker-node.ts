/**
 * Builds one worker node from a Config: the story-ops worker (apply, then publish through the
 * Socket.IO Redis emitter) and the push workers (fan-out, batches). workers/main.ts runs it as a
 * process; tests build it too.
 */
import { Emitter } from '@socket.io/redis-emitter';
import { Worker, type Processor, type WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../src/config.ts';
import type { ServerToClientEvents } from '../src/domain/events.ts';
import { createDeliveryStore } from '../src/push/delivery-store.ts';
import { EncryptPool } from '../src/push/encrypt-pool.ts';
import { PushSender } from '../src/push/push-sender.ts';
import { createSubscriptionStore } from '../src/push/subscription-store.ts';
import { VapidAuthCache } from '../src/push/vapid-auth-cache.ts';
import { loadVapidKeys } from '../src/push/vapid-keys.ts';
import { QUEUES, type StoryOpJob } from '../src/queue/jobs.ts';
import { createPushQueues, enqueueFanout } from '../src/queue/push-queues.ts';
import { createStoryOpsQueue } from '../src/queue/story-ops-producer.ts';
import { createWorkerMetrics } from '../src/observability/worker-metrics.ts';
import { bullmqConnectionOptions, createRedis } from '../src/redis.ts';
import { createKeys } from '../src/store/keys.ts';
import { createStoryStore } from '../src/store/story-store.ts';
import { createBatchProcessor } from './push-batch.worker.ts';
import { createFanoutProcessor } from './push-fanout.worker.ts';
import { createPublishProcessor } from './publish.worker.ts';

export interface WorkerNode {
  workers: Worker[];
  /** Where /metrics is served, when WORKER_METRICS_PORT is set. */
  metricsPort: number | undefined;
  /** The threads encrypting alerts, unless PUSH_ENCRYPT_THREADS is 0 (then the main thread does). */
  encryptPool: EncryptPool | undefined;
  /** Lets the jobs in flight finish, then closes the connections. */
  close(): Promise<void>;
}

export async function createWorkerNode(config: Config, logger: Logger): Promise<WorkerNode> {
  const keys = createKeys(config.keyPrefix);
  const redis = createRedis(config.redisUrl, logger, 'worker');
  const pubClient = createRedis(config.redisUrl, logger, 'worker-pub');
  // Alert batches claim and settle thousands of messages a second: commands issued in the same
  // turn share one write on a connection of their own, queued behind nothing else.
  const pushRedis = createRedis(config.redisUrl, logger, 'worker-push', { enableAutoPipelining: true });
  const connection = bullmqConnectionOptions(config.redisUrl);
  const store = createStoryStore(redis, keys, { maxPinned: config.maxPinned, logMaxEvents: config.logMaxEvents });
  const subscriptions = createSubscriptionStore(redis, keys);
  const pushQueues = createPushQueues(connection, config.queuePrefix);
  const vapid = await loadVapidKeys(redis, keys, config.push, logger);
  const encryptPool =
    config.push.encryptThreads === 0
      ? undefined
      : new EncryptPool({
          size: config.push.encryptThreads,
          onThreadExit: ({ threadId, exitCode, error, lostMessages }) =>
            logger.error(
              { threadId, exitCode, err: error, lostMessages },
              'push encrypt thread stopped; replaced, its messages retried',
            ),
        });
  const sender = new PushSender({
    vapid: new VapidAuthCache(vapid),
    concurrency: config.push.concurrency,
    perOriginConcurrency: config.push.perOriginConcurrency,
    timeoutMs: config.push.timeoutMs,
    allowlist: config.push.endpointAllowlist,
    encryptPool,
  });

  const storyOpsQueue = createStoryOpsQueue(connection, config.queuePrefix);
  const metrics = createWorkerMetrics([storyOpsQueue, pushQueues.fanout, pushQueues.batch]);
  const emitter = new Emitter<ServerToClientEvents>(pubClient, { key: keys.socketIo });
  const publish = createPublishProcessor({
    store,
    emitter,
    logger,
    onPublished: async (event, job: StoryOpJob) => {
      metrics.eventPublished(event.type);
      if (job.kind !== 'update.create' || !job.notify || event.type !== 'update.created') return;
      await enqueueFanout(pushQueues.fanout, {
        storyId: job.storyId,
        updateId: job.updateId,
        breaking: job.breaking ?? false,
      });
    },
  });
  const fanout = createFanoutProcessor({
    store,
    subscriptions,
    batchQueue: pushQueues.batch,
    batchSize: config.push.batchSize,
    publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    logger,
  });
  const batch = createBatchProcessor({
    sender,
    subscriptions: createSubscriptionStore(pushRedis, keys),
    delivery: createDeliveryStore(pushRedis, keys),
    batchQueue: pushQueues.batch,
    ttlSeconds: config.push.ttlSeconds,
    maxAttempts: config.push.maxAttempts,
    retryBaseMs: config.push.retryBaseMs,
    logger,
    onOutcome: (outcome) => metrics.alertOutcome(outcome.kind),
  });

  const common: WorkerOptions = {
    connection,
    prefix: config.queuePrefix,
    // A worker that dies mid-job is noticed within seconds; the job is retried elsewhere.
    lockDuration: 10_000,
    stalledInterval: 5_000,
    maxStalledCount: 10,
  };
  const start = <T>(name: string, processor: Processor<T>, concurrency: number): Worker => {
    const worker = new Worker<T>(name, processor, { ...common, concurrency });
    worker.on('failed', (job, error) =>
      logger.warn({ queue: name, jobId: job?.id, attempts: job?.attemptsMade, err: error }, 'job failed'),
    );
    worker.on('error', (error) => logger.warn({ queue: name, err: error }, 'worker error'));
    return worker as Worker;
  };
  const workers = [
    start(QUEUES.storyOps, publish, config.workerConcurrency),
    start(QUEUES.pushFanout, fanout, 2),
    // Batches mostly wait on the network; the sender bounds the real concurrency.
    start(QUEUES.pushBatch, batch, 8),
  ];

  const metricsServer =
    config.workerMetricsPort === undefined ? undefined : await metrics.listen(config.workerMetricsPort, config.host);

  return {
    workers,
    encryptPool,
    metricsPort: (metricsServer?.address() as { port?: number } | null)?.port,
    async close() {
      metricsServer?.close();
      await Promise.all(workers.map((worker) => worker.close()));
      await storyOpsQueue.close();
      await sender.close();
      await Promise.all([pushQueues.fanout.close(), pushQueues.batch.close()]);
      await Promise.all([redis, pubClient, pushRedis].map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}
