/**
 * The id of a request, in its answer (X-Request-Id) and its log line, so an operator can find a
 * request from what a client reports. A caller's X-Request-Id is kept only when it is a plain
 * token: it ends up in logs and replies.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const PLAIN_TOKEN = /^[A-Za-z0-9._-]{8,64}$/;

export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && PLAIN_TOKEN.test(given) ? given : randomUUID();
}
