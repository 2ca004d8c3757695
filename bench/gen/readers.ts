/**
 * A reader load generator, run in its own process (several at once): opens Socket.IO websocket
 * readers, subscribes them, and records when each reader first received each event, on the clock
 * of lib/clock.ts, so the orchestrator can subtract the time it posted.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, StoryEvent, SubscribeAck } from '../../src/domain/events.ts';
import { now, sleep } from '../lib/clock.ts';
import { serve } from '../lib/rpc.ts';

export interface ConnectParams {
  url: string;
  count: number;
  subscribe: { storyId: string; after?: number; epoch?: string } | null;
  /** Reader i starts at startAt + i·rampMs/count; with rampMs 0 as fast as `concurrency` allows. */
  startAt: number;
  rampMs: number;
  concurrency: number;
  trackSeqs: boolean;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  errors: string[];
  /** Per ready reader: from its start to its subscribe ack (replayed events arrive before it). */
  readyMs: number[];
  lastReadyAt: number;
}

type ReaderSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Reader {
  socket: ReaderSocket;
  ok: boolean;
  seqs: Set<number> | null;
}

let readers: Reader[] = [];
let closing = false;
let failed = 0;
let errors: string[] = [];
let sample: StoryEvent | null = null;
/** Event key → first-arrival time per reader (NaN until it arrives) and how many have it. */
const arrivals = new Map<string, { times: Float64Array; count: number }>();

function fail(message: string): void {
  failed++;
  if (errors.length < 5) errors.push(message);
}

function record(index: number, event: StoryEvent): void {
  sample ??= event;
  readers[index]?.seqs?.add(event.seq);
  const key = event.update?.id ?? `seq-${event.seq}`;
  let entry = arrivals.get(key);
  if (!entry) arrivals.set(key, (entry = { times: new Float64Array(readers.length).fill(Number.NaN), count: 0 }));
  if (Number.isNaN(entry.times[index]!)) {
    entry.times[index] = now();
    entry.count++;
  }
}

function open(index: number, params: ConnectParams, ready: number[], last: { at: number }): Promise<void> {
  const startedAt = now();
  const socket: ReaderSocket = io(params.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 30_000,
  });
  const reader: Reader = { socket, ok: false, seqs: params.trackSeqs ? new Set() : null };
  readers[index] = reader;
  socket.on('story-event', (event) => record(index, event));
  socket.on('disconnect', (reason) => {
    if (!closing && reader.ok) fail(`disconnected: ${reason}`);
  });
  return new Promise<void>((resolve) => {
    const done = (): void => {
      reader.ok = true;
      last.at = Math.max(last.at, now());
      ready.push(now() - startedAt);
      resolve();
    };
    socket.once('connect_error', (error) => {
      // engine.io-client wraps the socket's own error (ECONNRESET, EMFILE…) in `description`.
      const cause = (error as { description?: { message?: string; error?: { message?: string } } }).description;
      fail(`connect_error: ${error.message}${cause ? ` (${cause.error?.message ?? cause.message ?? ''})` : ''}`);
      resolve();
    });
    socket.once('connect', () => {
      if (!params.subscribe) return done();
      socket
        .timeout(60_000)
        .emitWithAck('subscribe', params.subscribe)
        .then(
          (ack: SubscribeAck) => {
            if (ack.ok) done();
            else {
              fail(`subscribe: ${ack.error.code}`);
              resolve();
            }
          },
          (error: unknown) => {
            fail(`subscribe: ${error instanceof Error ? error.message : String(error)}`);
            resolve();
          },
        );
    });
  });
}

async function connect(params: ConnectParams): Promise<ConnectResult> {
  closing = false;
  failed = 0;
  errors = [];
  readers = new Array<Reader>(params.count);
  const ready: number[] = [];
  const last = { at: 0 };
  await sleep(Math.max(0, params.startAt - now()));
  if (params.rampMs > 0) {
    const step = params.rampMs / params.count;
    const opened: Promise<void>[] = [];
    for (let i = 0; i < params.count; i++) {
      await sleep(params.startAt + i * step - now());
      opened.push(open(i, params, ready, last));
    }
    await Promise.all(opened);
  } else {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < params.count) await open(next++, params, ready, last);
    };
    await Promise.all(Array.from({ length: params.concurrency }, lane));
  }
  return { connected: ready.length, failed, errors, readyMs: ready, lastReadyAt: last.at };
}

/** Resolves when every ready reader has the event, or at the timeout with what arrived. */
async function waitFor({
  key,
  timeoutMs,
}: {
  key: string;
  timeoutMs: number;
}): Promise<{ times: number[]; missing: number }> {
  const expected = readers.filter((r) => r.ok).length;
  const deadline = now() + timeoutMs;
  while ((arrivals.get(key)?.count ?? 0) < expected && now() < deadline) await sleep(5);
  const times = [...(arrivals.get(key)?.times ?? [])].filter((t) => !Number.isNaN(t));
  return { times, missing: expected - times.length };
}

/** Readers that do not hold every seq from..to (storm: caught up means no gap). */
function gaps({ from, to }: { from: number; to: number }): { complete: number; incomplete: number } {
  let complete = 0;
  for (const reader of readers) {
    if (!reader.ok || !reader.seqs) continue;
    let whole = true;
    for (let seq = from; seq <= to && whole; seq++) whole = reader.seqs.has(seq);
    if (whole) complete++;
  }
  return { complete, incomplete: readers.filter((r) => r.ok).length - complete };
}

async function disconnect(): Promise<void> {
  closing = true;
  for (const reader of readers) reader?.socket.disconnect();
  readers = [];
  arrivals.clear();
  // Let the close frames go out before the next phase measures anything.
  await sleep(500);
}

serve({ connect, waitFor, gaps, disconnect, sample: () => sample, errors: () => ({ failed, errors }) });
