/**
 * Security headers on every response (helmet) with a strict Content-Security-Policy: scripts,
 * styles and connections only from this origin, no plugins, no inline script. Update bodies are
 * sanitized already; the CSP is the second wall should a sanitizer ever miss something. CORS is
 * open for reading (the feed is public and embeddable) and bearer-token writes (no cookies, so
 * no cross-site request forgery), limited to CORS_ORIGINS when set.
 *
 * helmet computes the headers; they are the same for every response, so it runs once at start-up
 * and each response gets the finished set (run per request, it re-parsed the CSP every time).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'https:', 'data:'],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  fontSrc: ["'self'"],
  manifestSrc: ["'self'"],
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  upgradeInsecureRequests: null,
};

/** The embed page is meant to be framed by any site. */
export function allowFramingAnywhere(reply: FastifyReply): void {
  reply.removeHeader('x-frame-options');
  const csp = String(reply.getHeader('content-security-policy') ?? '');
  reply.header('content-security-policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
}

/** The headers helmet sets for these options, as a plain object. */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const collector = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, collector as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

async function securityHeadersPlugin(app: FastifyInstance, options: { corsOrigins: readonly string[]; https: boolean }): Promise<void> {
  const headers = helmetHeaders({
    contentSecurityPolicy: { directives: CONTENT_SECURITY_POLICY },
    // HSTS only when the public URL is https: on plain http (local runs) it would pin browsers wrongly.
    strictTransportSecurity: options.https ? { maxAge: 180 * 24 * 3600 } : false,
    // The embed iframe and the push service worker need these relaxed defaults.
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(cors, {
    origin: options.corsOrigins.length === 0 || options.corsOrigins.includes('*') ? '*' : [...options.corsOrigins],
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'last-event-id'],
    exposedHeaders: ['etag', 'retry-after', 'x-request-id'],
    maxAge: 600,
  });
}

export const securityHeaders = fp(securityHeadersPlugin, { name: 'security-headers' });
