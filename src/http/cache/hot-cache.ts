/**
 * An in-process cache of rendered responses for hot stories (the story page, its first page of
 * updates), so a story read by thousands costs one render per change instead of one per request.
 * Every story event this node receives invalidates that story's entries, and entries are kept only
 * for stories whose events this node receives (`keeps`); a short TTL bounds staleness should an
 * invalidation be missed (Redis pub/sub keeps nothing during an outage).
 */
export interface CachedResponse<T> {
  storyId: string;
  etag: string;
  value: T;
}

export interface CachedEntry<T> extends CachedResponse<T> {
  /** When the entry stops being served (ms since the epoch). */
  expiresAt: number;
}

interface Entry<T> extends CachedEntry<T> {
  touchedAt: number;
}

/** A hit moves its entry to the back of the LRU order at most this often (a Map re-insert each time cost ~3 % of a hot read). */
const TOUCH_EVERY_MS = 1_000;

export class HotCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly keysByStory = new Map<string, Set<string>>();
  private readonly generations = new Map<string, number>();
  /** Bumped by clear(): moves every story's generation on, the ones without entries included. */
  private clears = 0;

  constructor(
    private readonly maxEntries = 1_000,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
    /** Whether this node hears the story's events now, so that an event will invalidate what it keeps. */
    private readonly keeps: (storyId: string) => boolean = () => true,
  ) {}

  get(key: string): CachedEntry<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.expiresAt <= now) {
      this.delete(key);
      return undefined;
    }
    // Map order is the LRU order: a hit moves the entry to the back.
    if (now - entry.touchedAt >= TOUCH_EVERY_MS) {
      entry.touchedAt = now;
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Read before rendering; `set` ignores a render that an invalidation overtook. */
  generation(storyId: string): number {
    return this.clears * 2 ** 32 + (this.generations.get(storyId) ?? 0);
  }

  /** `notAfter` caps the entry's life, for a copy of an entry that expires sooner. */
  set(key: string, response: CachedResponse<T>, generationAtStart: number, notAfter = Infinity): void {
    if (this.generation(response.storyId) !== generationAtStart || !this.keeps(response.storyId)) return;
    this.delete(key);
    const now = this.now();
    this.entries.set(key, { ...response, expiresAt: Math.min(now + this.ttlMs, notAfter), touchedAt: now });
    let keys = this.keysByStory.get(response.storyId);
    if (!keys) this.keysByStory.set(response.storyId, (keys = new Set()));
    keys.add(key);
    while (this.entries.size > this.maxEntries) this.delete(this.entries.keys().next().value as string);
  }

  /** Drops every entry (invalidations may have been missed) and moves every generation on. */
  clear(): void {
    this.clears++;
    this.entries.clear();
    this.keysByStory.clear();
  }

  invalidateStory(storyId: string): void {
    this.generations.set(storyId, (this.generations.get(storyId) ?? 0) + 1);
    for (const key of this.keysByStory.get(storyId) ?? []) this.entries.delete(key);
    this.keysByStory.delete(storyId);
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.keysByStory.get(entry.storyId)?.delete(key);
  }
}
