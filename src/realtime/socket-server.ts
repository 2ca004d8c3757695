/**
 * The Socket.IO server of an API node. The Redis adapter receives what the workers' emitters
 * publish and delivers it to this node's sockets in the story's room.
 */
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { RedisClient } from '../redis/connections.ts';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../domain/events.ts';

export type StoryIo = Server<ClientToServerEvents, ServerToClientEvents>;

export interface SocketServerOptions {
  pubClient: RedisClient;
  subClient: RedisClient;
  /** Adapter channel prefix; the workers' emitters must use the same. */
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
    adapter: createAdapter(options.pubClient, options.subClient, { key: options.key }),
  });
}
