/**
 * The one way a route serves a hot read (the story page, a story's updates list): answer from the
 * hot cache when it holds the body; otherwise read the story, note both caches' generations for
 * it, make the body, keep it unless an event overtook the render, and send it. Every body sent
 * from here is offered to the cache front, which answers identical requests before Fastify does.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CacheFront } from './cache-front.ts';
import { sendCachedBody, type CachedBody } from './cached-body.ts';
import type { CachedEntry, HotCache } from './hot-cache.ts';

/** What a route made on a miss. */
export interface MadeBody {
  etag: string;
  body: CachedBody;
  /** False: send it but keep it nowhere (it mixes two states of the story). */
  keep: boolean;
}

export interface HotRead<Req extends FastifyRequest, S extends { id: string }> {
  cache: HotCache<CachedBody>;
  front: CacheFront;
  contentType: string;
  /** Names what the body depends on besides the story's state (its path and query). */
  key(request: Req): string;
  /** The story the body shows; the generations are read right after it, before the body is made. */
  story(request: Req): Promise<S>;
  /** Makes the body, or answers the request itself (a 304) and returns undefined. */
  make(request: Req, reply: FastifyReply, story: S): Promise<MadeBody | undefined>;
  /** Before a cached body is sent: true when it answered the request itself (a 304). */
  answered?(request: Req, reply: FastifyReply, etag: string): boolean;
}

/** A route handler for the read; built once, when the route is registered. */
export function hotRead<Req extends FastifyRequest, S extends { id: string }>(
  read: HotRead<Req, S>,
): (request: Req, reply: FastifyReply) => Promise<FastifyReply> {
  const { cache, front, contentType } = read;

  function sendHit(request: Req, reply: FastifyReply, hit: CachedEntry<CachedBody>): FastifyReply {
    if (read.answered?.(request, reply, hit.etag)) return reply;
    const generation = front.generation(hit.storyId);
    return sendCachedBody(request, reply, hit.value, contentType, (sent) =>
      front.remember(request, reply, { storyId: hit.storyId, generation, body: sent, notAfter: hit.expiresAt }),
    );
  }

  return async (request, reply) => {
    const key = read.key(request);
    const hit = cache.get(key);
    if (hit) return sendHit(request, reply, hit);
    const story = await read.story(request);
    // Read before the body is made: a set() or remember() that an invalidation overtook is ignored.
    const generation = cache.generation(story.id);
    const frontGeneration = front.generation(story.id);
    const made = await read.make(request, reply, story);
    if (!made) return reply;
    if (!made.keep) return sendCachedBody(request, reply, made.body, contentType);
    cache.set(key, { storyId: story.id, etag: made.etag, value: made.body }, generation);
    return sendCachedBody(request, reply, made.body, contentType, (sent) =>
      front.remember(request, reply, { storyId: story.id, generation: frontGeneration, body: sent }),
    );
  };
}
