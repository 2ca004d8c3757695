/**
 * One log line per request, written when it is answered: what an operator greps for (request id,
 * method, path, status, time) without Fastify's second "incoming request" line, which doubles
 * the logging cost of every read. Requests the cache front answers (src/http/cache/cache-front.ts) log
 * the same line through `logRequest`.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const line = requestLine(request.method, request.url, reply.statusCode, reply.elapsedTime);
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}

function requestLine(method: string, url: string, status: number, ms: number) {
  return { method, url, status, ms: Math.round(ms) };
}

/** The same line for a request answered outside Fastify. */
export function logRequest(
  logger: Logger,
  reqId: string,
  method: string,
  url: string,
  status: number,
  ms: number,
): void {
  if (logger.isLevelEnabled('info')) logger.info({ reqId, ...requestLine(method, url, status, ms) }, 'request');
}
