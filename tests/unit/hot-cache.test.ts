import { describe, expect, it } from 'vitest';
import { HotCache } from '../../src/http/cache/hot-cache.ts';

describe('HotCache', () => {
  it('serves a cached response until the story changes', () => {
    const cache = new HotCache<string>();
    cache.set('page|a', { storyId: 'a', etag: 'e1', value: '<html>' }, cache.generation('a'));
    cache.set('page|b', { storyId: 'b', etag: 'e2', value: '<b>' }, cache.generation('b'));
    expect(cache.get('page|a')?.value).toBe('<html>');
    cache.invalidateStory('a');
    expect(cache.get('page|a')).toBeUndefined();
    expect(cache.get('page|b')?.value).toBe('<b>');
  });

  it('drops a render that an invalidation overtook', () => {
    const cache = new HotCache<string>();
    const generation = cache.generation('a');
    cache.invalidateStory('a');
    cache.set('page|a', { storyId: 'a', etag: 'old', value: 'stale' }, generation);
    expect(cache.get('page|a')).toBeUndefined();
  });

  it('expires entries after the TTL and evicts the least recently used beyond the size', () => {
    let now = 0;
    const cache = new HotCache<string>(2, 10_000, () => now);
    cache.set('x', { storyId: 's', etag: '1', value: 'x' }, 0);
    cache.set('y', { storyId: 's', etag: '1', value: 'y' }, 0);
    now = 1_000;
    cache.get('x');
    cache.set('z', { storyId: 's', etag: '1', value: 'z' }, 0);
    expect(cache.get('y')).toBeUndefined();
    expect(cache.get('x')?.value).toBe('x');
    now = 10_001;
    expect(cache.get('x')).toBeUndefined();
  });

  it('moves a hit to the back of the LRU order at most once a second', () => {
    let now = 0;
    const cache = new HotCache<string>(2, 60_000, () => now);
    cache.set('x', { storyId: 's', etag: '1', value: 'x' }, 0);
    cache.set('y', { storyId: 's', etag: '1', value: 'y' }, 0);
    now = 999;
    cache.get('x');
    cache.set('z', { storyId: 's', etag: '1', value: 'z' }, 0);
    // x was read too soon after its write to move: it was still the oldest.
    expect(cache.get('x')).toBeUndefined();
    expect(cache.get('y')?.value).toBe('y');
  });
});

describe('HotCache clear and caps', () => {
  it('clear() drops every entry and refuses renders started before it, for stories it held no entry of too', () => {
    const cache = new HotCache<string>();
    cache.set('a', { storyId: 's1', etag: '1', value: 'a' }, cache.generation('s1'));
    const beforeForS2 = cache.generation('s2');
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', { storyId: 's2', etag: '1', value: 'b' }, beforeForS2);
    expect(cache.get('b')).toBeUndefined();
    cache.set('b', { storyId: 's2', etag: '1', value: 'b' }, cache.generation('s2'));
    expect(cache.get('b')?.value).toBe('b');
  });

  it('an entry copied from another lives no longer than its source (notAfter)', () => {
    let now = 0;
    const cache = new HotCache<string>(10, 5_000, () => now);
    cache.set('copy', { storyId: 's', etag: '1', value: 'x' }, 0, 1_000);
    expect(cache.get('copy')?.expiresAt).toBe(1_000);
    now = 1_000;
    expect(cache.get('copy')).toBeUndefined();
  });
});
