/**
 * Socket.IO traffic no client of ours would send: frames that break the framing (each is ignored,
 * or closes only its own connection), and well-formed packets with hostile content (ignored).
 */
import type { RawSocketIo } from '../raw-socket-io.ts';

const big = 'a'.repeat(20 * 1024);
/** A text frame, a binary frame, or a text frame whose bytes are not UTF-8. */
type Frame = string | { binary: Buffer } | { badText: Buffer };
export const sendFrame = (socket: RawSocketIo, frame: Frame) => {
  if (typeof frame === 'string') socket.ws.send(frame);
  else if ('binary' in frame) socket.ws.send(frame.binary, { binary: true });
  else socket.ws.send(frame.badText, { binary: false });
};
/** Frames that are not Socket.IO at all, or break its framing: ignored, or that connection is closed. */
export const GARBAGE: [string, (storyId: string) => Frame[]][] = [
  ['an unterminated event array', () => ['42["subscribe"']],
  ['an event that is an object', () => ['42{}']],
  ['an event that is a number', () => ['4242']],
  ['a bare "4" (message without a packet)', () => ['4']],
  ['an unknown Engine.IO packet type', () => ['99']],
  ['an empty frame', () => ['']],
  ['an unknown Socket.IO packet type', () => ['47["subscribe",{}]']],
  ['binary junk', () => [{ binary: Buffer.from([0xff, 0x00, 0xde, 0xad, 0xbe, 0xef]) }]],
  ['a text frame of invalid UTF-8', () => [{ badText: Buffer.from([0x34, 0x32, 0xc3, 0x28, 0xff]) }]],
  [
    'a binary placeholder followed by text',
    (id) => [`451-["subscribe",{"_placeholder":true,"num":0},"${id}"]`, '42["x"]'],
  ],
  [
    'a binary placeholder pointing past its attachments',
    () => ['451-["subscribe",{"_placeholder":true,"num":7}]', { binary: Buffer.from([1, 2, 3]) }],
  ],
  ['an absurd attachment count', () => ['4599999999999-["subscribe",{"_placeholder":true,"num":0}]']],
  ['a namespace that does not exist', () => ['40/admin,', '42/admin,["subscribe",{}]']],
  ['a frame over maxHttpBufferSize (20 KB)', (id) => [`42["subscribe",{"storyId":"${id}","epoch":"${big}"}]`]],
  ['a 1 MB frame', () => [`42["${'x'.repeat(1024 * 1024)}"]`]],
  // Socket.IO reserves these names; a client that sends them breaks the protocol.
  ['an event named disconnect', () => ['42["disconnect","forged"]']],
  ['an event named disconnecting', () => ['42["disconnecting"]']],
  ['an event named connect', () => ['42["connect",{}]']],
  ['an event named newListener', () => ['42["newListener","subscribe"]']],
];

/** Well-formed packets with hostile content: the connection stays and keeps working. */
export const ODD_PACKETS: [string, (storyId: string) => string][] = [
  ['subscribe with a NoSQL operator as the id (no ack)', () => '42["subscribe",{"storyId":{"$gt":""}}]'],
  ['an event named __proto__', () => '42["__proto__",{"polluted":true}]'],
  ['an event named constructor', () => '42["constructor",{"prototype":{"polluted":true}}]'],
  ['an unknown event', () => '42["drop-tables",{}]'],
  ['an unknown event asking for an ack', () => '4277["drop-tables",{}]'],
  ['an event named error', () => '42["error",{"message":"forged"}]'],
  ['an ack nobody asked for', () => '4312345["forged"]'],
  ['subscribe without a payload', () => '42["subscribe"]'],
  ['unsubscribe from a story never joined', () => '42["unsubscribe",{"storyId":"never-joined"}]'],
  ['unsubscribe with an object id', () => '42["unsubscribe",{"storyId":{"$ne":null}}]'],
];
