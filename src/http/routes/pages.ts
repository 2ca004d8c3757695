/**
 * Pages for people: the story page (server-rendered, CDN-cacheable, revalidated by an ETag that
 * changes with every event), its embed variant, the Atom feed, and the editor dashboard.
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Story } from '../../domain/story.ts';
import { appError } from '../../errors.ts';
import type { StoryStore } from '../../store/story-store.ts';
import { renderAtomFeed } from '../pages/atom-feed.ts';
import type { ClientAssets } from '../pages/client-assets.ts';
import { renderStoryPage, storyPageUrl } from '../pages/story-page.ts';
import { cachedBody, type CachedBody } from '../cache/cached-body.ts';
import type { CacheFront } from '../cache/cache-front.ts';
import type { HotCache } from '../cache/hot-cache.ts';
import { hotRead, type MadeBody } from '../cache/hot-read.ts';
import { DOCUMENT_HEADERS, storyPageHeaders } from '../plugins/security-headers.ts';
import { Cursor, type RouteApp, type RouteRequest } from '../schemas.ts';

export interface PageRoutesDeps {
  store: StoryStore;
  assets: ClientAssets;
  publicUrl: string;
  adminHtml: string;
  /** Rendered pages of hot stories; story events invalidate them. */
  cache: HotCache<CachedBody>;
  /** Answers repeats of a cached page before Fastify does. */
  front: CacheFront;
  /** Mastodon instances whose posts may be framed (EMBED_MASTODON_HOSTS); none when unset. */
  mastodonHosts?: readonly string[];
}

const PAGE_SIZE = 30;
const HTML = 'text/html; charset=utf-8';
/** Browsers and CDNs may reuse a page for a few seconds, then revalidate with the ETag. */
const CACHE_CONTROL = 'public, max-age=0, s-maxage=5, stale-while-revalidate=30';
const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 80 }) });
const PageQuery = Type.Object({ before: Type.Optional(Cursor) }, { additionalProperties: false });
type PageRequest = RouteRequest<{ params: typeof SlugParams; querystring: typeof PageQuery }>;

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

async function storyOrThrow(store: StoryStore, slug: string): Promise<Story> {
  const story = await store.getStory(slug);
  if (!story) throw appError('STORY_NOT_FOUND');
  return story;
}

/** A short name for the list in ETags; empty for none, so the default ETags stay as they were. */
function hostsTag(hosts: readonly string[]): string {
  return hosts.length === 0 ? '' : `-m${createHash('sha256').update(hosts.join(',')).digest('base64url').slice(0, 8)}`;
}

/** The page or its embed variant, from the hot cache when it holds it. */
function storyPage(deps: PageRoutesDeps, embed: boolean) {
  const mastodonHosts = deps.mastodonHosts ?? [];
  // The instances are in the page (bootstrap) and its CSP: a changed list must not get a 304.
  const variant = `${embed ? 'embed' : 'page'}${hostsTag(mastodonHosts)}`;

  async function make(request: PageRequest, reply: FastifyReply, story: Story): Promise<MadeBody | undefined> {
    const { before } = request.query;
    const etag = etagOf(story, `${variant}-${before ?? ''}`);
    if (notModified(request, reply, etag)) return undefined;
    const [list, highlights] = await Promise.all([
      deps.store.listUpdates(story.id, PAGE_SIZE, before),
      deps.store.highlights(story.id),
    ]);
    if (!list) throw appError('STORY_NOT_FOUND');
    const page = {
      story,
      updates: list.items,
      next: list.next,
      pinned: before ? [] : highlights.pinned,
      keyEvents: highlights.keyEvents,
      lastSeq: list.lastSeq,
      epoch: list.epoch,
    };
    const body = cachedBody(
      renderStoryPage(page, { publicUrl: deps.publicUrl, assets: deps.assets, embed, mastodonHosts }),
    );
    // An event between the story read and the list read: the page mixes the two; send, don't keep.
    return { etag, body, keep: list.lastSeq === story.lastSeq && list.epoch === story.epoch };
  }

  const read = hotRead({
    cache: deps.cache,
    front: deps.front,
    contentType: HTML,
    key: (request: PageRequest) => `${variant}|${request.params.slug}|${request.query.before ?? ''}`,
    story: (request) => storyOrThrow(deps.store, request.params.slug),
    make,
    answered: notModified,
  });
  const headers = storyPageHeaders(mastodonHosts)[embed ? 'embed' : 'page'];
  return (request: PageRequest, reply: FastifyReply) => read(request, reply.headers(headers));
}

function storyPageRoutes(app: RouteApp, deps: PageRoutesDeps): void {
  const pageSchema = (summary: string) => ({ tags: ['pages'], summary, params: SlugParams, querystring: PageQuery });
  const page = storyPage(deps, false);
  const embed = storyPage(deps, true);
  app.get('/stories/:slug', { schema: pageSchema('The live story page (HTML)') }, (request, reply) =>
    page(request, reply),
  );
  app.get(
    '/stories/:slug/embed',
    { schema: pageSchema('The story feed for an embed iframe (HTML)') },
    (request, reply) => embed(request, reply),
  );
}

function feedRoute(app: RouteApp, deps: PageRoutesDeps): void {
  app.get(
    '/stories/:slug/feed.xml',
    { schema: { tags: ['pages'], summary: 'Atom feed of the story', params: SlugParams } },
    async (request, reply) => {
      const story = await storyOrThrow(deps.store, request.params.slug);
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
}

function adminRoute(app: RouteApp, deps: PageRoutesDeps): void {
  app.get('/admin', { schema: { tags: ['pages'], summary: 'The editor dashboard' } }, async (_request, reply) =>
    reply.type(HTML).headers(DOCUMENT_HEADERS).header('cache-control', 'no-cache').send(deps.adminHtml),
  );
}

export const pageRoutes: FastifyPluginAsyncTypebox<PageRoutesDeps> = async (app, deps) => {
  storyPageRoutes(app, deps);
  feedRoute(app, deps);
  adminRoute(app, deps);
};
