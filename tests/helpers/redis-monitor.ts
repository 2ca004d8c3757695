/**
 * Redis MONITOR on a raw socket: every command the server runs, with the client that sent it.
 * (ioredis's own monitor() mistakes monitor lines for replies when commands flood in as it starts.)
 */
import { connect } from 'node:net';

export type MonitorListener = (args: string[], source: string) => void;

const LINE = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', '"': '"', '\\': '\\' };

/** The quoted, escaped arguments of a monitor line (Redis writes them as sdscatrepr does). */
function parseArgs(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(([, quoted]) =>
    quoted!.replace(/\\(x[0-9a-f]{2}|.)/g, (_m, code: string) =>
      code.startsWith('x') && code.length === 3
        ? String.fromCharCode(parseInt(code.slice(1), 16))
        : (ESCAPES[code] ?? code),
    ),
  );
}

export async function monitorRedis(host: string, port: number, listener: MonitorListener): Promise<() => void> {
  const socket = connect(port, host);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffer = '';
  let started!: () => void;
  const ok = new Promise<void>((resolve) => (started = resolve));
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\r\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === '+OK') started();
      const match = LINE.exec(line);
      if (match) listener(parseArgs(match[2]!), match[1]!);
    }
  });
  socket.write('MONITOR\r\n');
  await ok;
  return () => socket.destroy();
}
