/**
 * Hostile Socket.IO traffic, against two API nodes: garbage packets over a raw websocket are
 * ignored or close only that connection; invalid subscribe messages are acknowledged
 * VALIDATION_FAILED; a connection holds at most 20 stories; readers on both nodes keep receiving
 * live events throughout.
 */
import { randomBytes } from 'node:crypto';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryEvent } from '../../src/domain/events.ts';
import { send } from '../helpers/hostile/requests.ts';
import { startHostileStack, type Ctx, type HostileStack } from '../helpers/hostile/setup.ts';
import { GARBAGE, ODD_PACKETS, sendFrame } from '../helpers/hostile/socket-cases.ts';
import { rawAck, rawSocketIo, type RawSocketIo } from '../helpers/raw-socket-io.ts';
import { eventually, type Stack } from '../helpers/stack.ts';

let hostile: HostileStack;
let stack: Stack;
let ctx: Ctx;

beforeAll(async () => {
  hostile = await startHostileStack();
  ({ stack, ctx } = hostile);
});

afterAll(async () => {
  await hostile?.close();
});

/** After garbage: the connection is either gone, or still answers a subscribe as normal. */
async function probe(socket: RawSocketIo, storyId: string): Promise<'closed' | 'answering'> {
  if (!socket.isOpen()) return 'closed';
  socket.ws.send(`42999["subscribe",${JSON.stringify({ storyId })}]`);
  const ack = await rawAck(socket, 999);
  if (ack === 'closed') return 'closed';
  expect(ack).toMatchObject({ ok: true });
  return 'answering';
}

function untypedReader(url: string): Socket {
  return connectSocket(url, { transports: ['websocket'], reconnection: false, forceNew: true });
}

async function connected(socket: Socket): Promise<Socket> {
  if (!socket.connected)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  return socket;
}

interface Sentinel {
  socket: Socket;
  events: StoryEvent[];
}

describe('hostile Socket.IO traffic', () => {
  const sentinels: Sentinel[] = [];
  const extra: Socket[] = [];

  beforeAll(async () => {
    for (const url of stack.urls) {
      const socket = await connected(untypedReader(url));
      const sentinel: Sentinel = { socket, events: [] };
      socket.on('story-event', (event: StoryEvent) => sentinel.events.push(event));
      expect(await socket.emitWithAck('subscribe', { storyId: ctx.storyId })).toMatchObject({ ok: true });
      sentinels.push(sentinel);
    }
  });

  afterAll(() => {
    for (const socket of [...sentinels.map((s) => s.socket), ...extra]) socket.disconnect();
  });

  async function expectLiveEventEverywhere(readers: Sentinel[], label: string): Promise<void> {
    const id = `live-${label}-${randomBytes(3).toString('hex')}`;
    const posted = await stack.request('POST', `/api/stories/${ctx.storyId}/updates`, {
      body: { id, body: `Live after ${label}` },
    });
    expect(posted.status).toBe(202);
    for (const reader of readers) {
      expect(reader.socket.connected).toBe(true);
      await eventually(
        () => reader.events.some((e) => e.type === 'update.created' && e.update?.id === id),
        `${id} on every reader`,
        10_000,
      );
    }
  }

  it.each(GARBAGE)('garbage: %s → ignored, or only that connection is closed', async (_what, frames) => {
    const socket = await rawSocketIo(stack.urls[0]!);
    for (const frame of frames(ctx.storyId)) sendFrame(socket, frame);
    expect(['closed', 'answering']).toContain(await probe(socket, ctx.storyId));
    socket.close();
    for (const sentinel of sentinels) expect(sentinel.socket.connected).toBe(true);
    const fresh = await rawSocketIo(stack.urls[1]!);
    expect(await probe(fresh, ctx.storyId)).toBe('answering');
    fresh.close();
  });

  it.each(ODD_PACKETS)('odd packet: %s → ignored, the connection keeps working', async (_what, frame) => {
    const socket = await rawSocketIo(stack.urls[1]!);
    socket.ws.send(frame(ctx.storyId));
    expect(await probe(socket, ctx.storyId)).toBe('answering');
    socket.close();
  });

  it('acknowledges invalid raw subscribe and unsubscribe messages with VALIDATION_FAILED, and survives a burst of 200', async () => {
    const socket = await rawSocketIo(stack.urls[0]!);
    const invalid = [
      '{"storyId":{"$gt":""}}',
      '{"storyId":""}',
      `{"storyId":"${'s'.repeat(65)}"}`,
      '{"storyId":"a\\u202eb"}',
      `{"storyId":"${ctx.storyId}","after":-1}`,
      `{"storyId":"${ctx.storyId}","after":1.5}`,
      `{"storyId":"${ctx.storyId}","after":"0"}`,
      `{"storyId":"${ctx.storyId}","epoch":5}`,
      `{"storyId":"${ctx.storyId}","epoch":"${'e'.repeat(65)}"}`,
      `{"storyId":"${ctx.storyId}","extra":true}`,
      `{"storyId":"${ctx.storyId}","__proto__":{"after":0}}`,
      'null',
      '"just-a-string"',
      `["${ctx.storyId}"]`,
      '{}',
      '12',
    ];
    for (const [index, payload] of invalid.entries()) {
      socket.ws.send(`42${index + 1}["subscribe",${payload}]`);
      expect(await rawAck(socket, index + 1), payload).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.any(String) },
      });
    }
    socket.ws.send('4250["unsubscribe",{"storyId":{"$ne":null}}]');
    expect(await rawAck(socket, 50)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    for (let i = 0; i < 200; i++) socket.ws.send(`42${1000 + i}["subscribe",{"storyId":{"$where":"sleep(1000)"}}]`);
    for (let i = 0; i < 200; i++)
      expect(await rawAck(socket, 1000 + i)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await probe(socket, ctx.storyId)).toBe('answering');
    socket.close();
  });

  it('acknowledges invalid subscribe messages from a Socket.IO client with VALIDATION_FAILED, an unknown story with STORY_NOT_FOUND', async () => {
    const reader = await connected(untypedReader(stack.urls[1]!));
    extra.push(reader);
    const invalid: unknown[] = [
      { storyId: { $gt: '' } },
      { storyId: '' },
      { storyId: 'x'.repeat(65) },
      { storyId: 'a\u202eb' },
      { storyId: 'a b' },
      { storyId: ctx.storyId, after: -1 },
      { storyId: ctx.storyId, after: '0' },
      { storyId: ctx.storyId, after: Number.NaN },
      { storyId: ctx.storyId, epoch: ['x'] },
      { storyId: ctx.storyId, extra: 1 },
      null,
      ctx.storyId,
      [ctx.storyId],
      {},
    ];
    for (const message of invalid) {
      expect(await reader.emitWithAck('subscribe', message), JSON.stringify(message)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.any(String) },
      });
    }
    expect(await reader.emitWithAck('unsubscribe', { storyId: 42 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await reader.emitWithAck('subscribe', { storyId: 'no-such-story', after: 0 })).toMatchObject({
      ok: false,
      error: { code: 'STORY_NOT_FOUND' },
    });
    // An unknown event with an ack callback gets no answer, and breaks nothing.
    await expect(reader.timeout(500).emitWithAck('drop-tables', { all: true })).rejects.toThrow();
    expect(reader.connected).toBe(true);
    expect(await reader.emitWithAck('subscribe', { storyId: ctx.storyId })).toMatchObject({ ok: true });
  });

  it('refuses a 21st story on one connection with BAD_REQUEST, and allows it once another is left', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 21; i++) {
      const created = await stack.request('POST', '/api/stories', { body: { title: `Subscription limit ${i}` } });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const reader = await connected(untypedReader(stack.urls[0]!));
    extra.push(reader);
    for (const id of ids.slice(0, 20))
      expect(await reader.emitWithAck('subscribe', { storyId: id })).toMatchObject({ ok: true });
    expect(await reader.emitWithAck('subscribe', { storyId: ids[20] })).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/20/) },
    });
    // Subscribing again to a story already joined is no new subscription.
    expect(await reader.emitWithAck('subscribe', { storyId: ids[0] })).toMatchObject({ ok: true });
    expect(await reader.emitWithAck('unsubscribe', { storyId: ids[0] })).toEqual({ ok: true });
    expect(await reader.emitWithAck('subscribe', { storyId: ids[20] })).toMatchObject({ ok: true });
    expect(await reader.emitWithAck('subscribe', { storyId: ids[0] })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('still delivers live events to the readers connected all along, and to new readers, on both nodes', async () => {
    await expectLiveEventEverywhere(sentinels, 'garbage');
    const fresh: Sentinel[] = [];
    for (const url of stack.urls) {
      const socket = await connected(untypedReader(url));
      extra.push(socket);
      const sentinel: Sentinel = { socket, events: [] };
      socket.on('story-event', (event: StoryEvent) => sentinel.events.push(event));
      expect(await socket.emitWithAck('subscribe', { storyId: ctx.storyId })).toMatchObject({ ok: true });
      fresh.push(sentinel);
    }
    await expectLiveEventEverywhere([...sentinels, ...fresh], 'new-readers');
    for (const url of stack.urls) expect((await send(url, { method: 'GET', path: '/healthz' })).status).toBe(200);
  });
});
