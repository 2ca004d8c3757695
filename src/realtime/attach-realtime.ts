/**
 * Puts Socket.IO on an app's HTTP server and wires the reader handlers. On close, sockets are
 * disconnected before the HTTP server stops, so it is not held open by websockets.
 */
import type { FastifyInstance } from 'fastify';
import type { RedisClient } from '../redis/connections.ts';
import type { Logger } from 'pino';
import type { StoryStore } from '../store/story-store.ts';
import type { ShardChannels } from './shard-channels.ts';
import { createSocketServer, type StoryIo } from './socket-server.ts';
import { registerSubscriptionHandlers } from './subscriptions.ts';

export interface RealtimeDeps {
  pubClient: RedisClient;
  channels: ShardChannels;
  socketIoKey: string;
  /** Resolves once the story's channel is live on this node (story-event-hub.ts whenLive). */
  whenLive(storyId: string): Promise<void>;
  store: StoryStore;
  logger: Logger;
  replayMaxEvents: number;
}

export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;

export function attachRealtime(app: FastifyInstance, deps: RealtimeDeps): StoryIo {
  const io = createSocketServer(app.server, {
    pubClient: deps.pubClient,
    channels: deps.channels,
    key: deps.socketIoKey,
  });
  registerSubscriptionHandlers(io, {
    store: deps.store,
    whenLive: deps.whenLive,
    logger: deps.logger.child({ module: 'realtime' }),
    replayMaxEvents: deps.replayMaxEvents,
    maxSubscriptionsPerSocket: MAX_SUBSCRIPTIONS_PER_SOCKET,
  });
  app.addHook('preClose', async () => {
    io.local.disconnectSockets(true);
    io.engine.close();
  });
  return io;
}
