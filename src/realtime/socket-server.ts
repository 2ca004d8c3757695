/**
 * The Socket.IO server of an API node. The sharded Redis adapter subscribes to a room's channel
 * while the room has sockets on this node ("dynamic" mode), receives what the workers' publisher
 * sends there (story-publisher.ts) and delivers it to the room's sockets, one encoded packet for all.
 */
import type { Server as HttpServer } from 'node:http';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import type { RedisClient } from '../redis/connections.ts';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../domain/events.ts';
import type { ShardChannels } from './shard-channels.ts';

export type StoryIo = Server<ClientToServerEvents, ServerToClientEvents>;

export interface SocketServerOptions {
  pubClient: RedisClient;
  /** The node's sharded subscriptions; the adapter holds its rooms' channels through them. */
  channels: ShardChannels;
  /** Adapter channel prefix; the workers' publisher must use the same. */
  key: string;
}

/** Transport settings, shared with the bare baseline server of the benchmarks. */
export const SOCKET_SERVER_SETTINGS = {
  // Readers embed the feed on other sites; the stream is public and carries no credentials.
  cors: { origin: true, credentials: false },
  // Compressing each frame per socket costs CPU on every broadcast; updates are small.
  perMessageDeflate: false,
  // Readers only send subscribe/unsubscribe; anything bigger is abuse.
  maxHttpBufferSize: 16 * 1024,
  pingInterval: 25_000,
  pingTimeout: 20_000,
  serveClient: false,
} as const;

export function createSocketServer(httpServer: HttpServer, options: SocketServerOptions): StoryIo {
  return new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    ...SOCKET_SERVER_SETTINGS,
    adapter: createShardedAdapter(options.pubClient, options.channels.adapterSubscriber(), {
      channelPrefix: options.key,
      subscriptionMode: 'dynamic',
    }),
  });
}
