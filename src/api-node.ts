/**
 * Builds one API node from a Config: Redis connections, stores, queue producer, Fastify app and
 * Socket.IO. main.ts runs it as a process; tests build it around their own Redis.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, type AppDeps } from './app.ts';
import { createReadCaches } from './http/cache/read-caches.ts';
import { CLIENT_DIST, loadClientAssets } from './http/pages/client-assets.ts';
import type { Config } from './config.ts';
import { createStoryOpsProducer, createStoryOpsQueue } from './queue/story-ops-producer.ts';
import { attachRealtime } from './realtime/attach-realtime.ts';
import type { StoryIo } from './realtime/socket-server.ts';
import { ShardChannels } from './realtime/shard-channels.ts';
import { createStoryEventHub, type StoryEventHub } from './realtime/story-event-hub.ts';
import { createApiMetrics } from './observability/api-metrics.ts';
import { createPushQueues } from './queue/push-queues.ts';
import { createScheduledJobs, openScheduledPublishQueue } from './queue/scheduled-jobs.ts';
import { createScheduledStore } from './store/scheduled-store.ts';
import { bullmqConnection, closeRedis, createRedis, redisReady } from './redis/connections.ts';
import { describeTopology } from './redis/topology.ts';
import { createReplicaWait } from './redis/wait-replicas.ts';
import { createReviewStore } from './store/review-store.ts';
import { createEditorStore } from './store/editor-store.ts';
import { createKeys } from './store/keys.ts';
import { createMediaCatalogue } from './media/media-catalogue.ts';
import { createFolderStorage } from './media/media-storage.ts';
import { migrateKeyNames } from './store/key-migration.ts';
import { createStoryStore } from './store/story-store.ts';
import { createAlertIndex } from './push/alert-index.ts';
import { createDeliveryStore } from './push/delivery-store.ts';
import { createSubscriptionStore } from './push/subscription-store.ts';
import { loadVapidKeys } from './push/vapid-keys.ts';

export interface ApiNode {
  app: FastifyInstance;
  io: StoryIo;
  /** Stops accepting, ends sockets and streams, then closes queue and Redis, in that order. */
  close(): Promise<void>;
}

/** The node's Redis connections, stores and queues. */
function connect(config: Config, logger: Logger) {
  const keys = createKeys(config.keyPrefix);
  const { topology } = config.redis;
  logger.info({ redis: describeTopology(topology), waitReplicas: config.redis.waitReplicas }, 'using Redis');
  const redis = createRedis(topology, logger, 'api', 'request');
  const bullmq = bullmqConnection(topology, 'producer');
  const queue = createStoryOpsQueue(bullmq.connection, config.queuePrefix);
  queue.on('error', (error) => logger.warn({ err: error }, 'queue connection error'));
  const pushQueues = createPushQueues(bullmq.connection, config.queuePrefix);
  const scheduledQueue = openScheduledPublishQueue(bullmq.connection, config.queuePrefix);
  const subClient = createRedis(topology, logger, 'api-sub', 'subscriber');
  return {
    keys,
    redis,
    pubClient: createRedis(topology, logger, 'api-pub'),
    subClient,
    channels: new ShardChannels(subClient, logger),
    bullmqClients: bullmq.owned,
    store: createStoryStore(redis, keys, { maxPinned: config.maxPinned, logMaxEvents: config.logMaxEvents }),
    editors: createEditorStore(redis, keys),
    review: createReviewStore(redis, keys, { auditMaxEntries: config.logMaxEvents }),
    queue,
    producer: createStoryOpsProducer(queue),
    scheduling: { scheduled: createScheduledStore(redis, keys), jobs: createScheduledJobs(scheduledQueue) },
    queues: [queue, pushQueues.fanout, pushQueues.batch, scheduledQueue],
  };
}

type Connections = ReturnType<typeof connect>;
type Wiring = Pick<AppDeps, 'caches' | 'hub' | 'metrics' | 'countReaders'>;

/** What the app needs: the connections, the wiring, the config's settings and the VAPID keys. */
async function appDeps(config: Config, logger: Logger, node: Connections, wiring: Wiring): Promise<AppDeps> {
  const { redis, keys } = node;
  const moved = await migrateKeyNames(redis, keys);
  if (moved.length > 0) logger.info({ keys: moved }, 'renamed keys to their new names');
  const vapid = await loadVapidKeys(redis, keys, config.push, logger);
  return {
    ...wiring,
    logger,
    redis,
    store: node.store,
    editors: node.editors,
    review: node.review,
    queue: node.queue,
    producer: node.producer,
    scheduling: node.scheduling,
    queues: node.queues,
    replicas: createReplicaWait(config.redis),
    trustProxy: config.trustProxy,
    writesPerMinute: config.writesPerMinute,
    corsOrigins: config.corsOrigins,
    keyPrefix: config.keyPrefix,
    maxPinned: config.maxPinned,
    replayMaxEvents: config.replayMaxEvents,
    push: {
      publicKey: vapid.publicKey,
      subscriptions: createSubscriptionStore(redis, keys),
      delivery: createDeliveryStore(redis, keys),
      alerts: createAlertIndex(redis, keys),
      endpointAllowlist: config.push.endpointAllowlist,
      subscribeRatePerMinute: config.push.subscribeRatePerMinute,
    },
    media: {
      storage: createFolderStorage(resolve(config.media.dir)),
      catalogue: createMediaCatalogue(redis, keys),
      maxBytes: config.media.maxBytes,
    },
    embeds: { mastodonHosts: config.embeds.mastodonHosts },
    pages: {
      assets: loadClientAssets(),
      adminHtml: readFileSync(join(CLIENT_DIST, 'admin', 'index.html'), 'utf8'),
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      mastodonHosts: config.embeds.mastodonHosts,
    },
  };
}

/** Socket.IO on the app's server, its rooms shared with every node through Redis. */
function startRealtime(app: FastifyInstance, config: Config, logger: Logger, node: Connections, hub: StoryEventHub) {
  return attachRealtime(app, {
    pubClient: node.pubClient,
    channels: node.channels,
    socketIoKey: node.keys.socketIo,
    whenLive: (storyId) => hub.whenLive(storyId),
    store: node.store,
    logger,
    replayMaxEvents: config.replayMaxEvents,
  });
}

export async function createApiNode(config: Config, logger: Logger): Promise<ApiNode> {
  const node = connect(config, logger);
  const realtime: { io?: StoryIo } = {};
  // The caches keep a story's reads only while this node hears the story's events (cache-leases.ts).
  const caches = createReadCaches(logger, (storyId) => hub.keepsReads(storyId));
  const metrics = createApiMetrics({
    connectedReaders: () => realtime.io?.engine.clientsCount ?? 0,
    cacheFrontAnswers: () => caches.front.answered,
    queues: node.queues,
  });
  const hub = createStoryEventHub({
    channels: node.channels,
    channelPrefix: node.keys.socketIo,
    logger,
    onAnyEvent: (event) => {
      caches.invalidateStory(event.storyId);
      metrics.eventDelivered(event);
    },
    // A read made before the channel was live may have missed an event: it must not be kept.
    onStoryLive: (storyId) => caches.invalidateStory(storyId),
  });

  await redisReady(node.redis);
  // Socket.IO is attached after the app is built; the reader count asks it lazily.
  const countReaders = async (room: string): Promise<number> =>
    realtime.io ? (await realtime.io.in(room).fetchSockets()).length : 0;
  const wiring = { caches, hub, metrics: metrics.registry, countReaders };
  const app = await buildApp(await appDeps(config, logger, node, wiring));
  const io = startRealtime(app, config, logger, node, hub);
  realtime.io = io;
  // Readers missed whatever was published while this node's subscription was down.
  hub.onRestored(() => {
    // Events published meanwhile invalidated nothing here.
    caches.clear();
    io.local.emit('resync');
  });
  app.addHook('preClose', async () => hub.close());

  return {
    app,
    io,
    async close() {
      // Each step is logged, so a shutdown that runs out of time says where it stopped.
      logger.info('closing: HTTP server, sockets and streams');
      await app.close();
      logger.info('closing: queue producers');
      await Promise.all(node.queues.map((q) => q.close()));
      logger.info('closing: Redis connections');
      const clients = [node.redis, node.pubClient, node.subClient, ...node.bullmqClients];
      await Promise.all(clients.map(closeRedis));
    },
  };
}
