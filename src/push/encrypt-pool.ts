/**
 * Encrypts push payloads (RFC 8291 aes128gcm, web-push's encrypt) on worker threads. The
 * per-message ECDH is the largest cost of an alert; on its own thread it runs beside the thread
 * that sends and does the Redis bookkeeping, so one worker process can use more than one core.
 *
 * Messages go to the thread with the fewest in hand, gathered per event-loop turn into one
 * postMessage; each answer comes back on its own as soon as it is ready. A thread that dies
 * fails only the messages it held (EncryptThreadLost, which the sender turns into retries) and
 * is replaced.
 */
import { Worker } from 'node:worker_threads';
import webpush from 'web-push';

/** What encrypt-thread.mjs receives: one message per thread and event-loop turn. */
export interface EncryptBatch {
  /** Each distinct payload once: a batch job sends one alert to hundreds of devices. */
  payloads: string[];
  requests: EncryptRequest[];
}

export interface EncryptRequest {
  id: number;
  p256dh: string;
  auth: string;
  /** Index into EncryptBatch.payloads. */
  payload: number;
}

/** What encrypt-thread.mjs answers, one per message. */
export type EncryptReply = { id: number; body: Uint8Array } | { id: number; error: string };

/** The thread holding a message stopped before answering; the message may be sent again. */
export class EncryptThreadLost extends Error {
  override name = 'EncryptThreadLost';
}

export interface EncryptThreadStats {
  threadId: number;
  /** Messages this thread has encrypted since it started. */
  encrypted: number;
  /** Messages handed to it and not answered yet. */
  inHand: number;
}

export interface EncryptPoolOptions {
  size: number;
  /** Told when a thread stops unexpectedly (it is replaced). */
  onThreadExit?: (info: { threadId: number; exitCode: number; error: Error | undefined; lostMessages: number }) => void;
}

interface Waiter {
  resolve: (body: Buffer) => void;
  reject: (error: Error) => void;
}

interface Queued extends Waiter {
  p256dh: string;
  auth: string;
  payload: string;
}

interface Thread {
  worker: Worker;
  threadId: number;
  /** Posted to the thread, not answered yet. */
  posted: Map<number, Waiter>;
  /** Waiting for this turn's postMessage. */
  queued: Queued[];
  encrypted: number;
  online: boolean;
  error: Error | undefined;
}

const ENTRY = new URL('./encrypt-thread.mjs', import.meta.url);
// A thread that dies before it starts (a broken install) would otherwise be respawned in a loop.
const RESPAWN_DELAY_AFTER_FAILED_START_MS = 1_000;

export class EncryptPool {
  private readonly slots: (Thread | undefined)[];
  private nextId = 1;
  private flushScheduled = false;
  private closed = false;
  private replacedCount = 0;

  constructor(private readonly options: EncryptPoolOptions) {
    this.slots = Array.from({ length: options.size }, () => undefined);
    for (let i = 0; i < options.size; i++) this.slots[i] = this.spawn(i);
  }

  /** Threads replaced after dying since the pool started. */
  get replaced(): number {
    return this.replacedCount;
  }

  /** The live threads (one per slot that has one right now). */
  get workers(): readonly Worker[] {
    return this.liveThreads().map((thread) => thread.worker);
  }

  stats(): EncryptThreadStats[] {
    return this.liveThreads().map((t) => ({
      threadId: t.threadId,
      encrypted: t.encrypted,
      inHand: t.posted.size + t.queued.length,
    }));
  }

  encrypt(p256dh: string, auth: string, payload: string): Promise<Buffer> {
    if (this.closed) return Promise.reject(new EncryptThreadLost('the encrypt pool is closed'));
    const thread = this.leastBusy();
    // Every thread is being replaced: this message is not worth a delay.
    if (!thread)
      return new Promise((resolve) => resolve(webpush.encrypt(p256dh, auth, payload, 'aes128gcm').cipherText));
    return new Promise<Buffer>((resolve, reject) => {
      thread.queued.push({ p256dh, auth, payload, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Stops the threads; messages still in hand fail with EncryptThreadLost. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const threads = this.liveThreads();
    this.slots.fill(undefined);
    await Promise.all(
      threads.map(async (thread) => {
        this.failAll(thread, new EncryptThreadLost('the encrypt pool closed'));
        await thread.worker.terminate();
      }),
    );
  }

  private liveThreads(): Thread[] {
    return this.slots.filter((thread): thread is Thread => thread !== undefined);
  }

  private leastBusy(): Thread | undefined {
    let best: Thread | undefined;
    let bestLoad = Infinity;
    for (const thread of this.slots) {
      if (!thread) continue;
      const load = thread.posted.size + thread.queued.length;
      if (load < bestLoad) [best, bestLoad] = [thread, load];
    }
    return best;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate, not a microtask: sends resumed by the same I/O turn all join one message.
    setImmediate(() => {
      this.flushScheduled = false;
      for (const thread of this.slots) if (thread) this.flush(thread);
    });
  }

  private flush(thread: Thread): void {
    if (thread.queued.length === 0) return;
    const batch: EncryptBatch = { payloads: [], requests: [] };
    const payloadIndex = new Map<string, number>();
    for (const { p256dh, auth, payload, resolve, reject } of thread.queued) {
      let index = payloadIndex.get(payload);
      if (index === undefined) payloadIndex.set(payload, (index = batch.payloads.push(payload) - 1));
      const id = this.nextId++;
      batch.requests.push({ id, p256dh, auth, payload: index });
      thread.posted.set(id, { resolve, reject });
    }
    thread.queued = [];
    thread.worker.postMessage(batch);
  }

  private spawn(slot: number): Thread {
    // No execArgv: the parent's `--import tsx` would load a TypeScript loader this thread does not need.
    const worker = new Worker(ENTRY, { execArgv: [] });
    worker.unref(); // idle threads must not keep a finished process alive
    const thread: Thread = {
      worker,
      threadId: worker.threadId,
      posted: new Map(),
      queued: [],
      encrypted: 0,
      online: false,
      error: undefined,
    };
    worker.on('online', () => (thread.online = true));
    worker.on('message', (reply: EncryptReply) => this.answer(thread, reply));
    worker.on('error', (error) => (thread.error = error));
    worker.on('exit', (exitCode) => this.lost(slot, thread, exitCode));
    return thread;
  }

  private answer(thread: Thread, reply: EncryptReply): void {
    const waiter = thread.posted.get(reply.id);
    if (!waiter) return;
    thread.posted.delete(reply.id);
    if ('error' in reply) {
      waiter.reject(new Error(reply.error));
      return;
    }
    thread.encrypted++;
    waiter.resolve(Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength));
  }

  private lost(slot: number, thread: Thread, exitCode: number): void {
    if (this.closed || this.slots[slot] !== thread) return;
    const lostMessages = thread.posted.size;
    const unsent = thread.queued;
    thread.queued = [];
    this.failAll(thread, new EncryptThreadLost(`encrypt thread ${thread.threadId} stopped (exit code ${exitCode})`));
    this.options.onThreadExit?.({ threadId: thread.threadId, exitCode, error: thread.error, lostMessages });
    this.slots[slot] = undefined;
    const respawn = (): void => {
      if (this.closed) return;
      this.slots[slot] = this.spawn(slot);
      this.replacedCount++;
    };
    if (thread.online) respawn();
    else setTimeout(respawn, RESPAWN_DELAY_AFTER_FAILED_START_MS).unref();
    // Messages the thread never received go to whichever thread is there now.
    for (const { p256dh, auth, payload, resolve, reject } of unsent)
      this.encrypt(p256dh, auth, payload).then(resolve, reject);
  }

  private failAll(thread: Thread, error: EncryptThreadLost): void {
    for (const waiter of [...thread.posted.values(), ...thread.queued]) waiter.reject(error);
    thread.posted.clear();
    thread.queued = [];
  }
}
