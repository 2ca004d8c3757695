/**
 * A response body made once and sent many times: the UTF-8 bytes and a gzip copy, so a hot
 * story's page or updates list costs neither encoding nor compression per request. Browsers
 * always accept gzip, and the page shrinks about twentyfold with it.
 */
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CachedBody {
  readonly identity: Buffer;
  readonly gzip: Buffer;
}

export function cachedBody(text: string): CachedBody {
  const identity = Buffer.from(text, 'utf8');
  return { identity, gzip: gzipSync(identity) };
}

/** True when the client takes gzip: listed (or `*`) without `q=0` (RFC 9110, section 12.5.3). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let wildcard = false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    const refused = params.some((p) => /^\s*q\s*=\s*0(\.0{0,3})?\s*$/.test(p));
    if (coding === 'gzip' || coding === 'x-gzip') return !refused;
    if (coding === '*') wildcard = !refused;
  }
  return wildcard;
}

/** `onSent` gets the bytes that went out (the cache front keeps them for identical requests). */
export function sendCachedBody(
  request: FastifyRequest,
  reply: FastifyReply,
  body: CachedBody,
  contentType: string,
  onSent?: (sent: Buffer) => void,
): FastifyReply {
  reply.type(contentType).header('vary', 'accept-encoding');
  const gzip = acceptsGzip(request.headers['accept-encoding']);
  if (gzip) reply.header('content-encoding', 'gzip');
  const sent = gzip ? body.gzip : body.identity;
  reply.send(sent);
  onSent?.(sent);
  return reply;
}
