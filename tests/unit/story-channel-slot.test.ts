/**
 * A story's sharded channel hashes to the slot of the story's keys, so on Redis Cluster a story's
 * messages stay on the shard that holds the story; and stories spread over the slots.
 */
import keySlot from 'cluster-key-slot';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { storyRoom } from '../../src/domain/events.ts';
import { createKeys } from '../../src/store/keys.ts';
import { storyChannel, storyIdOfChannel } from '../../src/realtime/story-channel.ts';
import { loadConfig } from '../../src/config.ts';

// ioredis's own slot function (it routes every command and SSUBSCRIBE by it); it ships no types.

const ids = Array.from({ length: 2_000 }, () =>
  randomBytes(6)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x'),
);

describe('story channel and story keys', () => {
  it.each(['sp:', 'newsroom.eu-1:'])('share one slot for every story (prefix %s)', (prefix) => {
    const keys = createKeys(prefix);
    for (const id of ids) {
      const slot = keySlot(storyChannel(keys.socketIo, id));
      const story = keys.story(id);
      for (const key of Object.values(story)) expect(keySlot(key), `${key} / story ${id}`).toBe(slot);
      expect(keySlot(keys.push.alerts(id))).toBe(slot);
    }
  });

  it('spread over the slots', () => {
    const keys = createKeys('sp:');
    const slots = new Set(ids.map((id) => keySlot(storyChannel(keys.socketIo, id))));
    // 2,000 random ids over 16,384 slots: nearly all distinct.
    expect(slots.size).toBeGreaterThan(1_800);
    const quarters = new Set([...slots].map((slot) => Math.floor(slot / 4_096)));
    expect(quarters.size).toBe(4);
  });

  it('is the channel the sharded adapter derives from the room, and gives the story back', () => {
    const channel = storyChannel('sp:io', 'abc');
    expect(channel).toBe(`sp:io#/#${storyRoom('abc')}#`);
    expect(storyIdOfChannel('sp:io', channel)).toBe('abc');
    expect(storyIdOfChannel('sp:io', 'sp:io#/#')).toBeNull();
  });

  it('cannot be given another hash tag by KEY_PREFIX: braces are refused', () => {
    expect(() => loadConfig({ KEY_PREFIX: '{x}:' })).toThrow(/KEY_PREFIX/);
  });
});
