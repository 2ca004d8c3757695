/** Hostile requests as data: a request shape that can carry any body, a case, and the sender. */
import type { Ctx } from './setup.ts';

export const KIB = 1024;

/** A body: text as is, raw bytes (fetch then sends no Content-Type), or a chunked stream of n bytes. */
export type RawBody = string | Uint8Array<ArrayBuffer> | { stream: number };

export interface Req {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: RawBody;
}

export interface Case {
  name: string;
  req: (c: Ctx) => Req;
  status: number;
  code: string;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

function streamOf(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.length;
    },
  });
}

export async function send(base: string, req: Req): Promise<Answer> {
  const body = req.body;
  const init: RequestInit & { duplex?: 'half' } = {
    method: req.method,
    headers: req.headers ?? {},
    redirect: 'manual',
    // A request that was wrongly accepted as an event stream would otherwise never end.
    signal: AbortSignal.timeout(15_000),
  };
  if (typeof body === 'string' || body instanceof Uint8Array) init.body = body;
  else if (body) {
    init.body = streamOf(body.stream);
    init.duplex = 'half';
  }
  const response = await fetch(`${base}${req.path}`, init);
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const JSON_TYPE = { 'content-type': 'application/json' };

/** A request with a JSON(-ish) text body, as an admin unless `token` says otherwise (null: no token). */
export function jsonReq(
  method: string,
  path: string,
  body: RawBody,
  token: string | null,
  headers: Record<string, string> = {},
): Req {
  return { method, path, body, headers: { ...JSON_TYPE, ...(token ? bearer(token) : {}), ...headers } };
}

export function short(value: unknown, max = 40): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const printable = [...text]
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      return code < 0x20 || code === 0x7f || (code >= 0x200b && code <= 0x202e) || (code >= 0xd800 && code <= 0xdfff)
        ? `\\u${code.toString(16).padStart(4, '0')}`
        : ch;
    })
    .join('');
  return printable.length > max ? `${printable.slice(0, max)}…(${text.length} chars)` : printable;
}
