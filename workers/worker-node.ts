/**
 * Builds one worker node from a Config and closes it: the Redis connections, the queues, the push
 * sender, and one BullMQ worker per queue (processors.ts says which processor, queue-workers.ts
 * starts them). workers/main.ts runs it as a process; tests build it too.
 */
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../src/config.ts';
import { createWorkerMetrics } from '../src/observability/worker-metrics.ts';
import type { EncryptPool } from '../src/push/encrypt-pool.ts';
import { createPushQueues } from '../src/queue/push-queues.ts';
import { createStoryOpsQueue } from '../src/queue/story-ops-producer.ts';
import { createStoryPublisher } from '../src/realtime/story-publisher.ts';
import { bullmqConnection, closeRedis, createRedis } from '../src/redis/connections.ts';
import { describeTopology } from '../src/redis/topology.ts';
import { createReplicaWait } from '../src/redis/wait-replicas.ts';
import { migrateKeyNames } from '../src/store/key-migration.ts';
import { createKeys } from '../src/store/keys.ts';
import { createStoryStore } from '../src/store/story-store.ts';
import { createProcessors } from './processors.ts';
import { createPushSending } from './push-sending.ts';
import { startQueueWorkers } from './queue-workers.ts';

export interface WorkerNode {
  workers: Worker[];
  /** Where /metrics is served, when WORKER_METRICS_PORT is set. */
  metricsPort: number | undefined;
  /** The threads encrypting alerts, unless PUSH_ENCRYPT_THREADS is 0 (then the main thread does). */
  encryptPool: EncryptPool | undefined;
  /** Lets the jobs in flight finish, then closes the connections. */
  close(): Promise<void>;
}

function openConnections(config: Config, logger: Logger) {
  const { topology } = config.redis;
  logger.info({ redis: describeTopology(topology), waitReplicas: config.redis.waitReplicas }, 'using Redis');
  const bullmq = bullmqConnection(topology, 'worker');
  return {
    redis: createRedis(topology, logger, 'worker'),
    pubClient: createRedis(topology, logger, 'worker-pub'),
    // Alert batches claim and settle thousands of messages a second: commands issued in the same
    // turn share one write on a connection of their own, queued behind nothing else.
    pushRedis: createRedis(topology, logger, 'worker-push', 'pipelined'),
    bullmq: bullmq.connection,
    bullmqClients: bullmq.owned,
  };
}

export async function createWorkerNode(config: Config, logger: Logger): Promise<WorkerNode> {
  const keys = createKeys(config.keyPrefix);
  const connections = openConnections(config, logger);
  const { redis, pubClient, pushRedis } = connections;
  // The bylines read the editors: a worker that starts before the API upgrades the names itself.
  await migrateKeyNames(redis, keys);
  const store = createStoryStore(redis, keys, { maxPinned: config.maxPinned, logMaxEvents: config.logMaxEvents });
  const pushQueues = createPushQueues(connections.bullmq, config.queuePrefix);
  const { sender, encryptPool } = await createPushSending(config, redis, keys, logger);
  const storyOpsQueue = createStoryOpsQueue(connections.bullmq, config.queuePrefix);
  const metrics = createWorkerMetrics([storyOpsQueue, pushQueues.fanout, pushQueues.batch]);
  const publisher = createStoryPublisher(pubClient, keys.socketIo);
  const processors = createProcessors({
    config,
    keys,
    store,
    redis,
    pushRedis,
    publisher,
    pushQueues,
    sender,
    metrics,
    replicas: createReplicaWait(config.redis),
    logger,
  });
  const workers = startQueueWorkers(processors, { connection: connections.bullmq, prefix: config.queuePrefix }, logger);
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
      await Promise.all([redis, pubClient, pushRedis, ...connections.bullmqClients].map(closeRedis));
    },
  };
}
