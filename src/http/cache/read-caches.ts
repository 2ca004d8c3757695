/**
 * The read caches of one API node: rendered story pages, serialized updates lists, and the cache
 * front that replays both. The node's story events and resyncs reach all three through here.
 */
import type { Logger } from 'pino';
import { CacheFront } from './cache-front.ts';
import type { CachedBody } from './cached-body.ts';
import { HotCache } from './hot-cache.ts';

export interface ReadCaches {
  pages: HotCache<CachedBody>;
  updates: HotCache<CachedBody>;
  front: CacheFront;
  /** The story changed: drop what any cache holds of it. */
  invalidateStory(storyId: string): void;
  /** Invalidations may have been missed (the Redis subscription was down): drop everything. */
  clear(): void;
}

/** `keeps`: whether a read of the story made now may be kept (the node hears its events); default always. */
export function createReadCaches(logger: Logger, keeps?: (storyId: string) => boolean): ReadCaches {
  const pages = new HotCache<CachedBody>(undefined, undefined, undefined, keeps);
  const updates = new HotCache<CachedBody>(undefined, undefined, undefined, keeps);
  const front = new CacheFront(logger, { keeps });
  return {
    pages,
    updates,
    front,
    invalidateStory(storyId) {
      pages.invalidateStory(storyId);
      updates.invalidateStory(storyId);
      front.invalidateStory(storyId);
    },
    clear() {
      pages.clear();
      updates.clear();
      front.clear();
    },
  };
}
