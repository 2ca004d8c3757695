/**
 * The message the Socket.IO cluster adapter (here the sharded Redis adapter) exchanges to
 * broadcast a packet to a room on every node: the workers write it, the API's adapter delivers it
 * to the room's sockets (one encoded packet for all of them) and the SSE hub reads the event out
 * of it. JSON, as the adapter encodes any message without binary data.
 */
import type { ClusterMessage, MessageType } from 'socket.io-adapter';
import { STORY_EVENT, storyRoom, type StoryEvent } from '../domain/events.ts';

export type BroadcastMessage = Extract<ClusterMessage, { type: MessageType.BROADCAST }>;

/** socket.io-adapter's MessageType.BROADCAST; the enum exists only as a type here. */
const BROADCAST = 3 as MessageType.BROADCAST;
/** socket.io-parser's PacketType.EVENT. */
const EVENT_PACKET = 2;
/** The uid the adapters expect from a process that is not a Socket.IO server (as @socket.io/redis-emitter). */
const PUBLISHER_UID = 'emitter';

interface EventPacket {
  type: typeof EVENT_PACKET;
  data: [typeof STORY_EVENT, StoryEvent];
  nsp: '/';
}

export function encodeStoryBroadcast(event: StoryEvent): string {
  const packet: EventPacket = { type: EVENT_PACKET, data: [STORY_EVENT, event], nsp: '/' };
  const message: BroadcastMessage = {
    uid: PUBLISHER_UID,
    nsp: '/',
    type: BROADCAST,
    data: { opts: { rooms: [storyRoom(event.storyId)], except: [], flags: {} }, packet },
  };
  return JSON.stringify(message);
}

/** The story event a raw adapter message carries, or null for any other message. Throws on malformed JSON. */
export function decodeStoryBroadcast(raw: Buffer): StoryEvent | null {
  // The adapter sends msgpack only for binary payloads, which story events never carry.
  if (raw[0] !== 0x7b) return null;
  const message = JSON.parse(raw.toString()) as Partial<BroadcastMessage>;
  if (message.type !== BROADCAST || message.nsp !== '/') return null;
  const packet = message.data?.packet as Partial<EventPacket> | undefined;
  const [name, event] = packet?.data ?? [];
  if (name !== STORY_EVENT || typeof event !== 'object' || event === null) return null;
  return event;
}
