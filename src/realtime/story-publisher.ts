/**
 * How a worker sends a story event to its readers on every API node: one SPUBLISH of the
 * adapter's broadcast message on the story's sharded channel. Only the shard that holds the story
 * carries it, and only the API nodes subscribed to the story (they have its readers, or cache its
 * reads) receive it.
 */
import type { StoryEvent } from '../domain/events.ts';
import type { RedisClient } from '../redis/connections.ts';
import { encodeStoryBroadcast } from './broadcast-message.ts';
import { storyChannel } from './story-channel.ts';

export interface StoryPublisher {
  /** Resolves once Redis took the message; a node that is not subscribed simply never sees it. */
  publish(event: StoryEvent): Promise<void>;
}

/** `channelPrefix` is the API's adapter prefix (keys.socketIo). */
export function createStoryPublisher(pubClient: RedisClient, channelPrefix: string): StoryPublisher {
  return {
    async publish(event) {
      await pubClient.spublish(storyChannel(channelPrefix, event.storyId), encodeStoryBroadcast(event));
    },
  };
}
