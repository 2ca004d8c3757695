/**
 * The worker node's processors, one per queue of the queue map: story ops (apply, publish through
 * the story's sharded Socket.IO channel, then queue the alert), the push fan-out and the push batches.
 */
import type { Job } from 'bullmq';
import type { RedisClient } from '../src/redis/connections.ts';
import type { ReplicaWait } from '../src/redis/wait-replicas.ts';
import type { Logger } from 'pino';
import type { Config } from '../src/config.ts';
import type { WorkerMetrics } from '../src/observability/worker-metrics.ts';
import { avatarUrls } from '../src/media/avatar-urls.ts';
import { createMediaCatalogue } from '../src/media/media-catalogue.ts';
import { createAlertIndex } from '../src/push/alert-index.ts';
import type { StoryPublisher } from '../src/realtime/story-publisher.ts';
import { createDeliveryStore } from '../src/push/delivery-store.ts';
import type { PushSender } from '../src/push/push-sender.ts';
import { createSubscriptionStore } from '../src/push/subscription-store.ts';
import { QUEUES, type StoryOpJob } from '../src/queue/jobs.ts';
import { enqueueFanout, type PushBatchQueue, type PushFanoutQueue } from '../src/queue/push-queues.ts';
import type { QueueProcessors } from '../src/queue/typed-queue.ts';
import { createBylineResolver } from '../src/store/bylines.ts';
import { createEditorStore } from '../src/store/editor-store.ts';
import type { Keys } from '../src/store/keys.ts';
import type { StoryStore } from '../src/store/story-store.ts';
import { createScheduledStore } from '../src/store/scheduled-store.ts';
import { createScheduledPublishProcessor } from './scheduled-publish.ts';
import { createBatchProcessor } from './push-batch.worker.ts';
import { createFanoutProcessor } from './push-fanout.worker.ts';
import { createPublishProcessor } from './publish.worker.ts';

export interface ProcessorDeps {
  config: Config;
  keys: Keys;
  store: StoryStore;
  /** The worker's main connection (subscriptions read by the fan-out). */
  redis: RedisClient;
  /** The auto-pipelined connection the batches claim and settle on. */
  pushRedis: RedisClient;
  publisher: StoryPublisher;
  pushQueues: { fanout: PushFanoutQueue; batch: PushBatchQueue };
  sender: PushSender;
  metrics: WorkerMetrics;
  /** REDIS_WAIT_REPLICAS: nothing reaches readers or devices before replicas hold it. */
  replicas: ReplicaWait;
  logger: Logger;
}

/** How many REDIS_WAIT_TIMEOUT_MS an alert's claim waits for its replicas before its batch fails. */
const CLAIM_WAIT_ROUNDS = 30;

function publishProcessor(deps: ProcessorDeps) {
  const { metrics, pushQueues } = deps;
  const media = createMediaCatalogue(deps.redis, deps.keys);
  return createPublishProcessor({
    store: deps.store,
    publisher: deps.publisher,
    logger: deps.logger,
    media,
    bylines: createBylineResolver(createEditorStore(deps.redis, deps.keys), avatarUrls(media)),
    embeds: { mastodonHosts: deps.config.embeds.mastodonHosts },
    confirmReplicated: (storyId) => deps.replicas.confirm(deps.redis, deps.keys.story(storyId).log),
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
}

/** A scheduled update's create op, applied and published by the story-ops processor's code. */
function publishScheduledOp(publish: ReturnType<typeof publishProcessor>) {
  return (data: StoryOpJob) => publish({ id: `scheduled.${data.opId}`, data } as Job<StoryOpJob>);
}

export function createProcessors(deps: ProcessorDeps): QueueProcessors {
  const { config, keys, logger, pushQueues } = deps;
  const publish = publishProcessor(deps);
  const fanout = createFanoutProcessor({
    store: deps.store,
    subscriptions: createSubscriptionStore(deps.redis, keys),
    batchQueue: pushQueues.batch,
    batchSize: config.push.batchSize,
    publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    alerts: createAlertIndex(deps.redis, keys),
    logger,
  });
  const batch = createBatchProcessor({
    sender: deps.sender,
    subscriptions: createSubscriptionStore(deps.pushRedis, keys),
    delivery: createDeliveryStore(deps.pushRedis, keys),
    // A claim is not redone: a batch retried after a failed WAIT would skip it and lose the alert.
    confirmClaims: (storyId, updateId) =>
      deps.replicas.confirmPatiently(deps.pushRedis, keys.push.delivery(storyId, updateId), CLAIM_WAIT_ROUNDS),
    batchQueue: pushQueues.batch,
    ttlSeconds: config.push.ttlSeconds,
    maxAttempts: config.push.maxAttempts,
    retryBaseMs: config.push.retryBaseMs,
    logger,
    onOutcome: (outcome) => deps.metrics.alertOutcome(outcome.kind),
  });
  return {
    [QUEUES.storyOps]: { processor: publish, concurrency: config.workerConcurrency },
    [QUEUES.pushFanout]: { processor: fanout, concurrency: 2 },
    // Batches mostly wait on the network; the sender bounds the real concurrency.
    [QUEUES.pushBatch]: { processor: batch, concurrency: 8 },
    // Many posts may be scheduled for the same second: they publish side by side, as story ops do.
    [QUEUES.scheduledPublish]: {
      processor: createScheduledPublishProcessor({
        scheduled: createScheduledStore(deps.redis, keys),
        publishOp: publishScheduledOp(publish),
        logger,
      }),
      concurrency: config.workerConcurrency,
    },
  };
}
