/**
 * Creating a story: the slug, the story with its audit entry, and its place in the list. The
 * steps are in different hash slots (src/store/story-create.ts); a process that dies between
 * them leaves nothing a reader sees, and a repeat with the same id completes the story.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEpoch, newId } from '../../src/domain/ids.ts';
import { createKeys, type Keys } from '../../src/store/keys.ts';
import { createStoryStore, type NewStory, type StoryStore } from '../../src/store/story-store.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let store: StoryStore;
let keys: Keys;

beforeAll(async () => {
  stack = await startStack({ apis: 0, workers: 0 });
  keys = createKeys(stack.config.keyPrefix);
  store = createStoryStore(stack.redis, keys, {
    maxPinned: stack.config.maxPinned,
    logMaxEvents: stack.config.logMaxEvents,
  });
});
afterAll(() => stack.close());

function newStory(fields: Partial<NewStory> = {}): NewStory {
  return {
    id: newId(),
    title: 'Flooding in the valley',
    summary: '',
    epoch: newEpoch(),
    at: new Date().toISOString(),
    author: 'tester',
    ...fields,
  };
}

async function listedIds(): Promise<string[]> {
  return stack.redis.zrange(keys.storyIndex, '0', '-1');
}

describe('createStory', () => {
  it('writes the story, its slug, its audit entry and its place in the list together', async () => {
    const story = await store.createStory(newStory({ slug: 'together' }));
    expect(story).toMatchObject({ slug: 'together', status: 'live', lastSeq: 0 });
    expect(await store.getStory('together')).toEqual(story);
    expect(await listedIds()).toContain(story.id);
    expect((await store.readAudit(story.id, 10)).map((e) => e.action)).toEqual(['story.created']);
  });

  it('claims no slug for a story whose id is taken', async () => {
    const first = await store.createStory(newStory({ slug: 'first-of-two' }));
    const counterBefore = await stack.redis.get(keys.storyCounter);
    await expect(store.createStory(newStory({ id: first.id, slug: 'second-of-two' }))).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    expect(await stack.redis.exists(keys.slug('second-of-two'))).toBe(0);
    expect(await stack.redis.get(keys.storyCounter)).toBe(counterBefore);
    expect((await store.createStory(newStory({ slug: 'second-of-two' }))).slug).toBe('second-of-two');
  });

  it('takes the next free variant of the title, and writes nothing when every variant is taken', async () => {
    const id = 'ABCDEFGHIJKLMNOP';
    const candidates = ['crowded', 'crowded-abcd', 'crowded-abcde', 'crowded-abcdef', 'crowded-abcdefg'];
    for (const taken of candidates.slice(0, 2)) await stack.redis.set(keys.slug(taken), 'someone-else');
    const third = await store.createStory(newStory({ id, title: 'Crowded' }));
    expect(third.slug).toBe('crowded-abcde');

    for (const taken of candidates) await stack.redis.set(keys.slug(taken), 'someone-else', 'NX');
    const listed = await listedIds();
    const otherId = 'ABCDEFGHIJKLMNOQ';
    await expect(store.createStory(newStory({ id: otherId, title: 'Crowded' }))).rejects.toMatchObject({
      code: 'SLUG_TAKEN',
    });
    expect(await store.getStoryById(otherId)).toBeNull();
    expect(await listedIds()).toEqual(listed);
  });

  it('a repeat with the same id after a death past the slug claim keeps that slug', async () => {
    const input = newStory({ slug: 'claimed-then-died' });
    await stack.redis.set(keys.slug('claimed-then-died'), input.id);
    expect(await store.getStory('claimed-then-died')).toBeNull();
    const story = await store.createStory(input);
    expect(story.slug).toBe('claimed-then-died');
    expect(await store.getStory('claimed-then-died')).toEqual(story);
  });

  it('a repeat after a death past the listing keeps its first place, and until then lists nothing', async () => {
    const input = newStory({ slug: 'listed-then-died' });
    await stack.redis.set(keys.slug('listed-then-died'), input.id);
    const position = await stack.redis.incr(keys.storyCounter);
    await stack.redis.zadd(keys.storyIndex, position, input.id);
    const page = await store.listStories(100);
    expect(page.items.map((s) => s.id)).not.toContain(input.id);
    await store.createStory(input);
    expect(await stack.redis.zscore(keys.storyIndex, input.id)).toBe(String(position));
    expect((await store.listStories(100)).items.map((s) => s.id)).toContain(input.id);
  });
});
