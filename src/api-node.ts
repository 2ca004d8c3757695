/**
 * Builds one API node from a Config: Redis connections, stores, queue producer, Fastify app and
 * Socket.IO. main.ts runs it as a process; tests build it around their own Redis.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import { CacheFront } from './http/cache/cache-front.ts';
import { HotCache } from './http/cache/hot-cache.ts';
import type { CachedBody } from './http/cache/cached-body.ts';
import { CLIENT_DIST, loadClientAssets } from './http/pages/client-assets.ts';
import type { Config } from './config.ts';
import { createStoryOpsProducer, createStoryOpsQueue } from './queue/story-ops-producer.ts';
import { attachRealtime } from './realtime/attach-realtime.ts';
import type { StoryIo } from './realtime/socket-server.ts';
import { createStoryEventHub } from './realtime/story-event-hub.ts';
import { createApiMetrics } from './observability/api-metrics.ts';
import { createPushQueues } from './queue/push-queues.ts';
import { bullmqProducerOptions, createRedis, FAIL_FAST, redisReady } from './redis.ts';
import { createEditorStore } from './store/editor-store.ts';
import { createKeys } from './store/keys.ts';
import { createStoryStore } from './store/story-store.ts';
import { createDeliveryStore } from './push/delivery-store.ts';
import { createSubscriptionStore } from './push/subscription-store.ts';
import { loadVapidKeys } from './push/vapid-keys.ts';

export interface ApiNode {
  app: FastifyInstance;
  io: StoryIo;
  /** Stops accepting, ends sockets and streams, then closes queue and Redis, in that order. */
  close(): Promise<void>;
}

export async function createApiNode(config: Config, logger: Logger): Promise<ApiNode> {
  const keys = createKeys(config.keyPrefix);
  const redis = createRedis(config.redisUrl, logger, 'api', FAIL_FAST);
  const pubClient = createRedis(config.redisUrl, logger, 'api-pub');
  const subClient = createRedis(config.redisUrl, logger, 'api-sub', { maxRetriesPerRequest: null });
  const store = createStoryStore(redis, keys, { maxPinned: config.maxPinned, logMaxEvents: config.logMaxEvents });
  const editors = createEditorStore(redis, keys);
  const queue = createStoryOpsQueue(bullmqProducerOptions(config.redisUrl), config.queuePrefix);
  queue.on('error', (error) => logger.warn({ err: error }, 'queue connection error'));
  const producer = createStoryOpsProducer(queue);
  const pushQueues = createPushQueues(bullmqProducerOptions(config.redisUrl), config.queuePrefix);
  const queues = [queue, pushQueues.fanout, pushQueues.batch];
  const realtime: { io?: StoryIo } = {};
  const front = new CacheFront(logger);
  const metrics = createApiMetrics({
    connectedReaders: () => realtime.io?.engine.clientsCount ?? 0,
    cacheFrontAnswers: () => front.answered,
    queues,
  });
  const pageCache = new HotCache<CachedBody>();
  const updatesCache = new HotCache<CachedBody>();
  const hub = createStoryEventHub(subClient, keys.socketIo, logger, (event) => {
    pageCache.invalidateStory(event.storyId);
    updatesCache.invalidateStory(event.storyId);
    front.invalidateStory(event.storyId);
    metrics.eventDelivered(event);
  });

  await redisReady(redis);
  const vapid = await loadVapidKeys(redis, keys, config.push, logger);
  // Socket.IO is attached after the app is built; the reader count asks it lazily.
  const countReaders = async (room: string): Promise<number> =>
    realtime.io ? (await realtime.io.in(room).fetchSockets()).length : 0;
  const app = await buildApp({
    logger,
    redis,
    store,
    editors,
    queue,
    producer,
    hub,
    countReaders,
    trustProxy: config.trustProxy,
    writesPerMinute: config.writesPerMinute,
    corsOrigins: config.corsOrigins,
    metrics: metrics.registry,
    updatesCache,
    front,
    queues,
    keyPrefix: config.keyPrefix,
    maxPinned: config.maxPinned,
    replayMaxEvents: config.replayMaxEvents,
    push: {
      publicKey: vapid.publicKey,
      subscriptions: createSubscriptionStore(redis, keys),
      delivery: createDeliveryStore(redis, keys),
      endpointAllowlist: config.push.endpointAllowlist,
      subscribeRatePerMinute: config.push.subscribeRatePerMinute,
    },
    pages: {
      assets: loadClientAssets(),
      adminHtml: readFileSync(join(CLIENT_DIST, 'admin', 'index.html'), 'utf8'),
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      cache: pageCache,
    },
  });
  const io = attachRealtime(app, {
    pubClient,
    subClient,
    socketIoKey: keys.socketIo,
    store,
    logger,
    replayMaxEvents: config.replayMaxEvents,
  });
  realtime.io = io;
  // Readers missed whatever was published while this node's subscription was down.
  hub.onRestored(() => {
    // Events published meanwhile invalidated nothing here.
    pageCache.clear();
    updatesCache.clear();
    front.clear();
    io.local.emit('resync');
  });
  app.addHook('preClose', async () => hub.close());

  return {
    app,
    io,
    async close() {
      await app.close();
      await Promise.all(queues.map((q) => q.close()));
      await Promise.all([redis, pubClient, subClient].map((client) => client.quit().catch(() => client.disconnect())));
    },
  };
}
