/**
 * Puts Socket.IO on an app's HTTP server and wires the reader handlers. On close, sockets are
 * disconnected before the HTTP server stops, so it is not held open by websockets.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StoryStore } from '../store/story-store.ts';
import { createSocketServer, type StoryIo } from './socket-server.ts';
import { registerSubscriptionHandlers } from './subscriptions.ts';

export interface RealtimeDeps {
  pubClient: Redis;
  subClient: Redis;
  socketIoKey: string;
  store: StoryStore;
  logger: Logger;
  replayMaxEvents: number;
}

export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;
const RESYNC_DELAY_MS = 250;

export function attachRealtime(app: FastifyInstance, deps: RealtimeDeps): StoryIo {
  const io = createSocketServer(app.server, { pubClient: deps.pubClient, subClient: deps.subClient, key: deps.socketIoKey });
  registerSubscriptionHandlers(io, {
    store: deps.store,
    logger: deps.logger.child({ module: 'realtime' }),
    replayMaxEvents: deps.replayMaxEvents,
    maxSubscriptionsPerSocket: MAX_SUBSCRIPTIONS_PER_SOCKET,
  });
  tellReadersToResyncAfterRedisOutage(io, deps.subClient, deps.logger);
  app.addHook('preClose', async () => {
    io.local.disconnectSockets(true);
    io.engine.close();
  });
  return io;
}

/**
 * Redis pub/sub keeps nothing for a subscriber that was away: after this node's subscriber
 * connection comes back, its readers resubscribe from their last seq and the log fills the gap.
 */
function tellReadersToResyncAfterRedisOutage(io: StoryIo, subClient: Redis, logger: Logger): void {
  let lost = false;
  subClient.on('close', () => {
    lost = true;
  });
  subClient.on('ready', () => {
    if (!lost) return;
    lost = false;
    // ioredis renews the pattern subscription on 'ready'; give it a moment before readers replay.
    setTimeout(() => {
      logger.info('Redis subscription restored; asking readers to resync');
      io.local.emit('resync');
    }, RESYNC_DELAY_MS).unref();
  });
}
