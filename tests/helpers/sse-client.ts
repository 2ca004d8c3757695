/** A minimal Server-Sent Events reader over node:http, as curl or an EventSource would see the stream. */
import { request, type IncomingMessage } from 'node:http';

export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

export interface SseConnection {
  status: number;
  frames: SseFrame[];
  close(): void;
  ended: Promise<void>;
}

function parseFrame(block: string): SseFrame | null {
  const frame: SseFrame = { data: '' };
  let hasData = false;
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') {
      frame.data += (hasData ? '\n' : '') + value;
      hasData = true;
    } else if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
  }
  return hasData ? frame : null;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res: IncomingMessage) => {
      const frames: SseFrame[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let index: number;
        while ((index = buffer.indexOf('\n\n')) !== -1) {
          const frame = parseFrame(buffer.slice(0, index));
          buffer = buffer.slice(index + 2);
          if (frame) frames.push(frame);
        }
      });
      resolve({ status: res.statusCode ?? 0, frames, close: () => req.destroy(), ended });
    });
    req.on('error', reject);
    req.end();
  });
}
