/**
 * A page whose story read and list read straddle an event mixes the two (the list is newer than
 * the story's ETag and title), so it is sent but not kept: kept, it would answer 304 to a CDN
 * holding the older page until the story's next event. The real store on the test run's Redis,
 * with the event applied between the two reads.
 */
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, expect, inject, it } from 'vitest';
import { CacheFront } from '../../src/http/cache/cache-front.ts';
import type { CachedBody } from '../../src/http/cache/cached-body.ts';
import { HotCache } from '../../src/http/cache/hot-cache.ts';
import { loadClientAssets } from '../../src/http/pages/client-assets.ts';
import { pageRoutes } from '../../src/http/routes/pages.ts';
import { createKeys } from '../../src/store/keys.ts';
import { createStoryStore, type StoryStore } from '../../src/store/story-store.ts';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.quit());

it('a page rendered across an event is sent but not cached: the next revalidation gets the new page, not a 304', async () => {
  const store = createStoryStore(redis, createKeys(`t${randomBytes(4).toString('hex')}:`), {
    maxPinned: 3,
    logMaxEvents: 1_000,
  });
  const at = new Date().toISOString();
  const story = await store.createStory({
    id: `race${randomBytes(4).toString('hex')}`,
    title: 'Race',
    summary: '',
    epoch: 'e1',
    at,
    author: 'test',
  });
  let eventBetweenReads = true;
  const racing: StoryStore = {
    ...store,
    async getStory(idOrSlug) {
      const read = await store.getStory(idOrSlug);
      if (eventBetweenReads) {
        eventBetweenReads = false;
        await store.applyUpdateOp(story.id, {
          opId: 'op-late',
          kind: 'create',
          updateId: 'late',
          at,
          author: 'test',
          fields: { body: 'Late', html: '<p>Late news</p>' },
        });
      }
      return read;
    },
  };
  const app = Fastify();
  await app.register(pageRoutes, {
    store: racing,
    assets: loadClientAssets(),
    publicUrl: 'http://127.0.0.1',
    adminHtml: '',
    cache: new HotCache<CachedBody>(),
    front: new CacheFront(pino({ level: 'silent' })),
  });
  const mixed = await app.inject(`/stories/${story.slug}`);
  expect(mixed.statusCode).toBe(200);
  expect(mixed.body).toContain('Late news');
  const revalidation = await app.inject({
    url: `/stories/${story.slug}`,
    headers: { 'if-none-match': String(mixed.headers.etag) },
  });
  expect(revalidation.statusCode).toBe(200);
  expect(revalidation.headers.etag).not.toBe(mixed.headers.etag);
  expect(revalidation.body).toContain('Late news');
  await app.close();
});
