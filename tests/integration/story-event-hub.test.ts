/**
 * The story-event hub ends every SSE stream when the node shuts down, including one whose
 * subscribe arrives after the shutdown began (its replay read was still in flight): such a
 * stream would otherwise hold the HTTP server open until the shutdown limit.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ShardChannels } from '../../src/realtime/shard-channels.ts';
import { createStoryEventHub } from '../../src/realtime/story-event-hub.ts';

const subClient = new Redis(inject('redisUrl'), { lazyConnect: true });
afterAll(() => subClient.disconnect());

describe('the story-event hub on shutdown', () => {
  it('ends the streams it has, and a stream that subscribes after it closed', async () => {
    const logger = pino({ level: 'silent' });
    const hub = createStoryEventHub({
      channels: new ShardChannels(subClient, logger),
      channelPrefix: 'hub-test',
      logger,
    });
    const ended: string[] = [];
    hub.subscribe(
      'story-a',
      () => undefined,
      () => ended.push('before'),
    );
    hub.close();
    expect(ended).toEqual(['before']);
    const unsubscribe = hub.subscribe(
      'story-a',
      () => undefined,
      () => ended.push('after'),
    );
    await Promise.resolve();
    expect(ended).toEqual(['before', 'after']);
    unsubscribe();
  });
});
