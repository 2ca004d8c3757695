/**
 * CORS for the HTTP API: open for reading (the feed is public and embeddable) and for bearer-token
 * writes (no cookies, so no cross-site request forgery), limited to CORS_ORIGINS when set.
 * Registered in the /api scope only: pages, feeds and assets are loaded by navigation or from our
 * own origin and need no CORS headers. Socket.IO answers its own CORS (src/realtime).
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

export async function apiCors(api: FastifyInstance, options: { corsOrigins: readonly string[] }): Promise<void> {
  await api.register(cors, {
    origin: options.corsOrigins.length === 0 || options.corsOrigins.includes('*') ? '*' : [...options.corsOrigins],
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'last-event-id'],
    exposedHeaders: ['etag', 'retry-after', 'x-request-id'],
    maxAge: 600,
  });
}
