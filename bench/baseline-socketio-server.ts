/**
 * The bare baseline for the reader scenarios: a plain Socket.IO server, same socket.io version and
 * the same server options as src/realtime/socket-server.ts (perMessageDeflate off, same buffer and
 * ping settings), no Redis, no adapter, no validation, no store. POST /broadcast emits the given
 * event to a story's room (what a worker publish ends in); `subscribe` joins the room, replays from
 * an in-memory log and acks, like our handler does.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { serve } from './lib/rpc.ts';
import { SOCKET_SERVER_SETTINGS } from '../src/realtime/socket-server.ts';

interface LoggedEvent {
  seq: number;
  [field: string]: unknown;
}

const log: LoggedEvent[] = [];
let lastSeq = 0;

const http = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/broadcast') {
    res.writeHead(404).end();
    return;
  }
  readJson(req).then(
    ({ storyId, event }) => {
      const logged = { ...event, seq: ++lastSeq };
      log.push(logged);
      if (log.length > 1000) log.shift();
      io.to(`story:${storyId}`).emit('story-event', logged);
      res.writeHead(204).end();
    },
    () => res.writeHead(400).end(),
  );
});

// The editor's keep-alive connection must outlive connecting 20k readers (Fastify keeps 72 s).
http.keepAliveTimeout = 600_000;

const io = new Server(http, { ...SOCKET_SERVER_SETTINGS, cors: { ...SOCKET_SERVER_SETTINGS.cors } });

io.on('connection', (socket) => {
  socket.on('subscribe', (message: { storyId: string; after?: number }, ack: (reply: unknown) => void) => {
    void Promise.resolve(socket.join(`story:${message.storyId}`)).then(() => {
      const missed = message.after === undefined ? [] : log.filter((e) => e.seq > message.after!);
      for (const event of missed) socket.emit('story-event', event);
      ack({ ok: true, lastSeq, epoch: 'bare', replayed: missed.length });
    });
  });
});

function readJson(req: IncomingMessage): Promise<{ storyId: string; event: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        resolve(
          JSON.parse(Buffer.concat(chunks).toString('utf8')) as { storyId: string; event: Record<string, unknown> },
        );
      } catch (error) {
        reject(error as Error);
      }
    });
    req.on('error', reject);
  });
}

serve({
  listen: () =>
    new Promise<number>((resolve) => http.listen(0, '127.0.0.1', () => resolve((http.address() as AddressInfo).port))),
});
