/**
 * The front of the read path. A GET that Fastify answered from the hot cache moments ago is
 * answered again from here, before Fastify sees the request: no routing, hooks, validation,
 * per-request child logger or promises, so a hot story's page or updates list costs little more
 * than writing its bytes (measured: Fastify's path for a cached page spent more on itself than on
 * the write). That is what one API node can give on the night a story outruns the CDN.
 *
 * Only exact replays qualify: a GET with the same path and query string, the same gzip choice and
 * the same Origin as a request Fastify answered (so it was routed, validated and authorised
 * there, and CORS answered for that Origin), and no If-None-Match (Fastify answers those, with a
 * 304), Authorization or Cookie (see `replayable`). The answer is Fastify's own, status 200,
 * headers and bytes, with this request's id.
 * Entries live in a HotCache: the story's next event drops them, a TTL bounds them.
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { acceptsGzip } from './cached-body.ts';
import { HotCache } from './hot-cache.ts';
import { requestIdOf } from '../request-id.ts';
import { logRequest } from '../request-log.ts';

interface Replay {
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

export interface SentBody {
  storyId: string;
  /** The front's generation for the story, read before the body was made. */
  generation: number;
  body: Buffer;
  /** When the cache entry the body came from expires: the replay must not outlive it. */
  notAfter?: number;
}

/** Headers that belong to one request or that Node writes itself. */
const PER_REQUEST = new Set(['x-request-id', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

/**
 * Whether the front may keep the answer to this request, and answer it: the same test both ways.
 * A conditional request is Fastify's to answer (304). With Authorization or Cookie the answer may
 * be personal: kept, it would go to others; answered from here, the request would get another's.
 */
function replayable(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  return (
    method === 'GET' &&
    headers['if-none-match'] === undefined &&
    headers.authorization === undefined &&
    headers.cookie === undefined
  );
}

export class CacheFront {
  private readonly replays: HotCache<Replay>;
  // Browsers send a handful of distinct Accept-Encoding values; parse each once.
  private readonly gzipByHeader = new Map<string, boolean>();
  private stopped = false;
  /** Requests answered here since start (a metric). */
  answered = 0;

  constructor(
    private readonly logger: Logger,
    options: { maxEntries?: number; ttlMs?: number; keeps?: ((storyId: string) => boolean) | undefined } = {},
  ) {
    this.replays = new HotCache(options.maxEntries ?? 2_000, options.ttlMs ?? 5_000, Date.now, options.keeps);
  }

  /**
   * Called by hotRead (hot-read.ts) right after a route sent a body: later identical requests
   * get the same answer from here until the story changes. The generation is the one read
   * before the body was made, so a render that an event overtook is not kept.
   */
  remember(request: FastifyRequest, reply: FastifyReply, sent: SentBody): void {
    if (reply.statusCode !== 200 || !replayable(request.method, request.headers)) return;
    // The headers are final only once written: an onSend hook on the route would delay that.
    if (!reply.raw.headersSent) return;
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(reply.getHeaders()))
      if (!PER_REQUEST.has(name) && value !== undefined) headers[name] = value;
    headers['content-length'] = sent.body.length;
    const key = this.keyOf(request.raw);
    this.replays.set(
      key,
      { storyId: sent.storyId, etag: '', value: { headers, body: sent.body } },
      sent.generation,
      sent.notAfter,
    );
  }

  /** Answers the request when it is a replay; false hands it to Fastify. */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.stopped || !replayable(req.method, req.headers)) return false;
    const hit = this.replays.get(this.keyOf(req));
    if (!hit) return false;
    const started = performance.now();
    const id = requestIdOf(req);
    res.writeHead(200, { 'x-request-id': id, ...hit.value.headers });
    res.end(hit.value.body);
    this.answered++;
    logRequest(this.logger, id, 'GET', req.url ?? '', 200, performance.now() - started);
    return true;
  }

  /** From now on every request goes to Fastify, which answers 503 while the node shuts down. */
  stop(): void {
    this.stopped = true;
  }

  /** Invalidations may have been missed (the Redis subscription was down): drop every replay. */
  clear(): void {
    this.replays.clear();
  }

  /** The story changed: its replays are out of date. */
  invalidateStory(storyId: string): void {
    this.replays.invalidateStory(storyId);
  }

  generation(storyId: string): number {
    return this.replays.generation(storyId);
  }

  private keyOf(req: IncomingMessage): string {
    return `${this.gzip(req.headers['accept-encoding']) ? 'gzip' : 'identity'} ${req.headers.origin ?? ''} ${req.url ?? ''}`;
  }

  private gzip(header: string | undefined): boolean {
    if (header === undefined) return false;
    let gzip = this.gzipByHeader.get(header);
    if (gzip === undefined) {
      gzip = acceptsGzip(header);
      if (this.gzipByHeader.size >= 64) this.gzipByHeader.clear();
      this.gzipByHeader.set(header, gzip);
    }
    return gzip;
  }
}
