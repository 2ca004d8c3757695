/**
 * A small request/reply protocol over the IPC channel of a forked bench process, so the
 * orchestrator can drive load generators and bare servers that run in their own processes.
 */
import type { ChildProcess } from 'node:child_process';

interface Request {
  id: number;
  method: string;
  params: unknown;
}
type Reply = { id: number; result: unknown } | { id: number; error: string };
interface Emitted {
  event: string;
  data: unknown;
}

export class Remote {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, (data: unknown) => void>();
  readonly ready: Promise<void>;

  constructor(
    readonly child: ChildProcess,
    readonly name: string,
  ) {
    this.ready = new Promise((resolve) => this.listeners.set('ready', () => resolve()));
    child.on('message', (message: Reply | Emitted) => {
      if ('event' in message) return this.listeners.get(message.event)?.(message.data);
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if ('error' in message) waiter?.reject(new Error(`${name}: ${message.error}`));
      else waiter?.resolve(message.result);
    });
    child.once('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  call<R>(method: string, params: unknown = {}, timeoutMs = 120_000): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}.${method} gave no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as R);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, method, params } satisfies Request);
    });
  }

  on(event: string, listener: (data: unknown) => void): void {
    this.listeners.set(event, listener);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler declares its own params
type Handler = (params: any) => unknown;

/** The child's side: answers calls; exits when the orchestrator is gone, so nothing lingers. */
export function serve(handlers: Record<string, Handler>): void {
  process.on('message', (message: Request) => {
    const handler = handlers[message.method];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown method ${message.method}`);
        return handler(message.params);
      })
      .then(
        (result) => process.send?.({ id: message.id, result: result ?? null } satisfies Reply),
        (error: unknown) =>
          process.send?.({
            id: message.id,
            error: error instanceof Error ? error.message : String(error),
          } satisfies Reply),
      );
  });
  process.on('disconnect', () => process.exit(0));
  emit('ready', null);
}

export function emit(event: string, data: unknown): void {
  process.send?.({ event, data } satisfies Emitted);
}
