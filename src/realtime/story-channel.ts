/**
 * The sharded pub/sub channel of a story. The Socket.IO sharded adapter names a room's channel
 * `<channelPrefix>#/#<room>#`; the room's `{<storyId>}` is the channel's hash tag (KEY_PREFIX,
 * and so the prefix, cannot contain braces), so channel and story keys share a slot and a
 * story's messages reach only the shard that holds it and the nodes that subscribed to it.
 */
import { storyRoom } from '../domain/events.ts';

/** The adapter's channel of the default namespace; a room's channel extends it. */
export function namespaceChannel(channelPrefix: string): string {
  return `${channelPrefix}#/#`;
}

export function storyChannel(channelPrefix: string, storyId: string): string {
  return `${namespaceChannel(channelPrefix)}${storyRoom(storyId)}#`;
}

/** The story a channel belongs to, or null for the adapter's other channels. */
export function storyIdOfChannel(channelPrefix: string, channel: string): string | null {
  const head = `${namespaceChannel(channelPrefix)}story:{`;
  if (!channel.startsWith(head) || !channel.endsWith('}#')) return null;
  return channel.slice(head.length, -2);
}
