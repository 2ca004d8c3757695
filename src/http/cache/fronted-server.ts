/**
 * The HTTP server Fastify runs on, with the cache front (src/http/cache/cache-front.ts) ahead of it:
 * a request the front answers never reaches Fastify. Made through Fastify's `serverFactory`,
 * so the server takes the options and timeouts Fastify would have set on its own. (Unlike
 * Fastify's own server, one made this way is not also bound to the second address of a
 * `localhost` HOST; the default HOST, 0.0.0.0, is unaffected.)
 */
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { CacheFront } from './cache-front.ts';

interface FastifyServerOptions {
  http?: ServerOptions | null;
  maxRequestsPerSocket?: number;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
}

export function frontedServer(
  front: CacheFront,
  fastify: (req: IncomingMessage, res: ServerResponse) => void,
  options: FastifyServerOptions,
): Server {
  const server = createServer(options.http ?? {}, (req, res) => {
    if (!front.answer(req, res)) fastify(req, res);
  });
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
  if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
  if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
  return server;
}
