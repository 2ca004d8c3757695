/**
 * Pages for people: the story page (server-rendered, CDN-cacheable, revalidated by an ETag that
 * changes with every event), its embed variant, the Atom feed, and the editor dashboard.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Story } from '../../domain/story.ts';
import { appError } from '../../errors.ts';
import type { StoryStore } from '../../store/story-store.ts';
import { renderAtomFeed } from '../pages/atom-feed.ts';
import type { ClientAssets } from '../pages/client-assets.ts';
import { renderStoryPage, storyPageUrl } from '../pages/story-page.ts';
import { cachedBody, sendCachedBody, type CachedBody } from '../cached-body.ts';
import type { CacheFront } from '../cache-front.ts';
import type { CachedEntry, HotCache } from '../hot-cache.ts';
import { DOCUMENT_HEADERS, EMBED_DOCUMENT_HEADERS } from '../plugins/security-headers.ts';
import { Cursor } from '../schemas.ts';

export interface PageRoutesDeps {
  store: StoryStore;
  assets: ClientAssets;
  publicUrl: string;
  adminHtml: string;
  /** Rendered pages of hot stories; story events invalidate them. */
  cache: HotCache<CachedBody>;
  /** Answers repeats of a cached page before Fastify does. */
  front: CacheFront;
}

const PAGE_SIZE = 30;
const HTML = 'text/html; charset=utf-8';
/** Browsers and CDNs may reuse a page for a few seconds, then revalidate with the ETag. */
const CACHE_CONTROL = 'public, max-age=0, s-maxage=5, stale-while-revalidate=30';
const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }) });

function etagOf(story: Story, variant: string): string {
  return `W/"${story.id}-${story.epoch}-${story.lastSeq}-${variant}"`;
}

/** Answers 304 when the client's copy is current; the ETag alone decides it. */
function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag).header('cache-control', CACHE_CONTROL).header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] !== etag) return false;
  reply.status(304).send();
  return true;
}

export const pageRoutes: FastifyPluginAsyncTypebox<PageRoutesDeps> = async (app, deps) => {
  async function storyOrThrow(slug: string): Promise<Story> {
    const story = await deps.store.getStory(slug);
    if (!story) throw appError('STORY_NOT_FOUND');
    return story;
  }

  function sendHtml(request: FastifyRequest, reply: FastifyReply, hit: CachedEntry<CachedBody>) {
    if (notModified(request, reply, hit.etag)) return reply;
    const generation = deps.front.generation(hit.storyId);
    return sendCachedBody(request, reply, hit.value, HTML, (sent) =>
      deps.front.remember(request, reply, { storyId: hit.storyId, generation, body: sent, notAfter: hit.expiresAt }),
    );
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    before: string | undefined,
    embed: boolean,
  ) {
    const key = `${embed ? 'embed' : 'page'}|${slug}|${before ?? ''}`;
    reply.headers(embed ? EMBED_DOCUMENT_HEADERS : DOCUMENT_HEADERS);
    const hit = deps.cache.get(key);
    if (hit) return sendHtml(request, reply, hit);
    const story = await storyOrThrow(slug);
    const generation = deps.cache.generation(story.id);
    const frontGeneration = deps.front.generation(story.id);
    const etag = etagOf(story, `${embed ? 'embed' : 'page'}-${before ?? ''}`);
    if (notModified(request, reply, etag)) return reply;
    const [list, highlights] = await Promise.all([
      deps.store.listUpdates(story.id, PAGE_SIZE, before),
      deps.store.highlights(story.id),
    ]);
    if (!list) throw appError('STORY_NOT_FOUND');
    const html = cachedBody(
      renderStoryPage(
        {
          story,
          updates: list.items,
          next: list.next,
          pinned: before ? [] : highlights.pinned,
          keyEvents: highlights.keyEvents,
          lastSeq: list.lastSeq,
          epoch: list.epoch,
        },
        { publicUrl: deps.publicUrl, assets: deps.assets, embed },
      ),
    );
    // An event between the story read and the list read: the page mixes the two; send, don't keep.
    if (list.lastSeq !== story.lastSeq || list.epoch !== story.epoch) return sendCachedBody(request, reply, html, HTML);
    deps.cache.set(key, { storyId: story.id, etag, value: html }, generation);
    return sendCachedBody(request, reply, html, HTML, (sent) =>
      deps.front.remember(request, reply, { storyId: story.id, generation: frontGeneration, body: sent }),
    );
  }

  const pageSchema = (summary: string) => ({
    tags: ['pages'],
    summary,
    params: SlugParams,
    querystring: Type.Object({ before: Type.Optional(Cursor) }, { additionalProperties: false }),
  });

  app.get('/stories/:slug', { schema: pageSchema('The live story page (HTML)') }, (request, reply) =>
    page(request, reply, request.params.slug, request.query.before, false),
  );

  app.get(
    '/stories/:slug/embed',
    { schema: pageSchema('The story feed for an embed iframe (HTML)') },
    (request, reply) => page(request, reply, request.params.slug, request.query.before, true),
  );

  app.get(
    '/stories/:slug/feed.xml',
    { schema: { tags: ['pages'], summary: 'Atom feed of the story', params: SlugParams } },
    async (request, reply) => {
      const story = await storyOrThrow(request.params.slug);
      // Browsers open a feed as an XML document.
      reply.headers(DOCUMENT_HEADERS);
      if (notModified(request, reply, etagOf(story, 'atom'))) return reply;
      const list = await deps.store.listUpdates(story.id, 50);
      const pageUrl = storyPageUrl(deps.publicUrl, story);
      return reply
        .type('application/atom+xml; charset=utf-8')
        .send(renderAtomFeed(story, list?.items ?? [], pageUrl, `${pageUrl}/feed.xml`));
    },
  );

  app.get('/admin', { schema: { tags: ['pages'], summary: 'The editor dashboard' } }, async (_request, reply) =>
    reply.type(HTML).headers(DOCUMENT_HEADERS).header('cache-control', 'no-cache').send(deps.adminHtml),
  );
};
