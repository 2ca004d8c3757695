/**
 * The HTTP server Fastify runs on, with the cache front (src/http/cache-front.ts) ahead of it:
 * a request the front answers never reaches Fastify. Made through Fastify's `serverFactory`,
 * so the server takes the timeouts Fastify would have set on its own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CacheFront } from './cache-front.ts';

interface ServerTimeouts {
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
}

export function frontedServer(front: CacheFront, fastify: (req: IncomingMessage, res: ServerResponse) => void, options: ServerTimeouts): Server {
  const server = createServer((req, res) => {
    if (!front.answer(req, res)) fastify(req, res);
  });
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
  if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
  return server;
}
