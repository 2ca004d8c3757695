/**
 * Security headers. Every response: `X-Content-Type-Options: nosniff`, a cross-origin
 * `Cross-Origin-Resource-Policy` (the embed iframe and the push service worker are loaded from
 * other origins) and, behind https, HSTS. Documents (HTML and SVG) also get (DOCUMENT_HEADERS) a strict
 * Content-Security-Policy (scripts, styles and connections only from this origin, no plugins, no
 * inline script; update bodies are sanitized already, the CSP is the second wall should the
 * sanitizer ever miss something), `Cross-Origin-Opener-Policy` and `Referrer-Policy`: those only
 * mean something to a document, so a JSON answer does not carry them.
 *
 * helmet computes the headers once at start-up (per request it re-parsed the CSP every time).
 * Its headers for browsers that are gone are left out: X-XSS-Protection (the XSS auditor it turns
 * off was removed from every browser), X-Download-Options (IE 8), X-Permitted-Cross-Domain-Policies
 * (Flash), X-DNS-Prefetch-Control, Origin-Agent-Cluster, and X-Frame-Options, which the CSP's
 * `frame-ancestors` replaces in every browser that can run our ES-module pages. Each header is
 * parsed by every client on every request; on the hot story page they cost more than the page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import { EMBED_FRAME_ORIGINS, embedFrameOrigins } from '../../shared/embeds.ts';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'https:', 'data:'],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  fontSrc: ["'self'"],
  manifestSrc: ["'self'"],
  workerSrc: ["'self'"],
  // Frames only from the embed providers' fixed hosts (src/shared/embeds.ts), loaded on a reader's click.
  frameSrc: [...EMBED_FRAME_ORIGINS],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  upgradeInsecureRequests: null,
};

const DOCUMENT_ONLY = ['content-security-policy', 'cross-origin-opener-policy', 'referrer-policy'];

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

export interface SecurityHeaderSets {
  /** On every response. */
  all: Record<string, string>;
  /** On documents only. */
  document: Record<string, string>;
}

export function securityHeaderSets(options: {
  https: boolean;
  frameAncestors?: string[];
  frameSrc?: string[];
}): SecurityHeaderSets {
  const headers = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        ...CONTENT_SECURITY_POLICY,
        frameAncestors: options.frameAncestors ?? CONTENT_SECURITY_POLICY.frameAncestors,
        frameSrc: options.frameSrc ?? CONTENT_SECURITY_POLICY.frameSrc,
      },
    },
    // HSTS only when the public URL is https: on plain http (local runs) it would pin browsers wrongly.
    strictTransportSecurity: options.https ? { maxAge: 180 * 24 * 3600 } : false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  const sets: SecurityHeaderSets = { all: {}, document: {} };
  for (const [name, value] of Object.entries(headers))
    sets[DOCUMENT_ONLY.includes(name) ? 'document' : 'all'][name] = value;
  return sets;
}

/**
 * What a route that answers with a document (HTML, SVG) adds. Routes set these themselves rather
 * than an onSend hook picking documents out by content type: on the hot story page an onSend
 * hook alone cost ~15 % of the requests per second.
 */
export const DOCUMENT_HEADERS: Readonly<Record<string, string>> = securityHeaderSets({ https: false }).document;
/** For pages that bring a CSP of their own (Swagger UI, bull-board). */
export const DOCUMENT_HEADERS_BUT_CSP: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(DOCUMENT_HEADERS).filter(([name]) => name !== 'content-security-policy'),
);
/** The embed page is meant to be framed by any site. */
export const EMBED_DOCUMENT_HEADERS: Readonly<Record<string, string>> = securityHeaderSets({
  https: false,
  frameAncestors: ['*'],
}).document;

/**
 * The story page's and its embed variant's document headers: the ones above, with each Mastodon
 * instance the deployment lists (EMBED_MASTODON_HOSTS) added to frame-src. Built once, when the
 * page routes are registered; with no instance listed they are DOCUMENT_HEADERS and EMBED_DOCUMENT_HEADERS.
 */
export function storyPageHeaders(mastodonHosts: readonly string[]): {
  page: Readonly<Record<string, string>>;
  embed: Readonly<Record<string, string>>;
} {
  const frameSrc = embedFrameOrigins(mastodonHosts);
  return {
    page: securityHeaderSets({ https: false, frameSrc }).document,
    embed: securityHeaderSets({ https: false, frameAncestors: ['*'], frameSrc }).document,
  };
}

async function securityHeadersPlugin(app: FastifyInstance, options: { https: boolean }): Promise<void> {
  const { all } = securityHeaderSets(options);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(all);
    done();
  });
}

export const securityHeaders = fp(securityHeadersPlugin, { name: 'security-headers' });
