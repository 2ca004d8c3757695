/**
 * A websocket speaking Engine.IO 4 and Socket.IO by hand, for sending what socket.io-client never
 * would: broken framing, binary junk, reserved event names, raw acks.
 */
import WebSocket from 'ws';

export interface RawSocketIo {
  ws: WebSocket;
  /** Resolves with the first text frame matching, or 'closed' when the connection ends first. */
  next(match: (frame: string) => boolean, timeoutMs?: number): Promise<string | 'closed'>;
  isOpen(): boolean;
  close(): void;
}

/** A websocket speaking Engine.IO 4 by hand, connected to the default Socket.IO namespace. */
export async function rawSocketIo(base: string): Promise<RawSocketIo> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const frames: string[] = [];
  const waiters = new Set<() => void>();
  let closed = false;
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    if (text === '2') ws.send('3'); // answer Engine.IO pings
    frames.push(text);
    wake();
  });
  ws.on('close', () => {
    closed = true;
    wake();
  });
  ws.on('error', () => undefined);
  const socket: RawSocketIo = {
    ws,
    isOpen: () => !closed && ws.readyState === WebSocket.OPEN,
    close: () => ws.terminate(),
    next(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const index = frames.findIndex(match);
          if (index >= 0) {
            cleanup();
            resolve(frames.splice(index, 1)[0]!);
          } else if (closed) {
            cleanup();
            resolve('closed');
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error('no matching frame and no close'));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
  const open = await socket.next((f) => f.startsWith('0{'));
  if (open === 'closed') throw new Error('Engine.IO handshake failed');
  ws.send('40');
  const connected = await socket.next((f) => f.startsWith('40'));
  if (connected === 'closed') throw new Error('Socket.IO connect failed');
  return socket;
}

/** The ack of a raw `42<id>[...]`-style emit: `43<id>[reply]`. */
export async function rawAck(socket: RawSocketIo, id: number, timeoutMs = 5_000): Promise<unknown | 'closed'> {
  const frame = await socket.next((f) => f.startsWith(`43${id}[`), timeoutMs);
  if (frame === 'closed') return 'closed';
  return (JSON.parse(frame.slice(`43${id}`.length)) as unknown[])[0];
}
