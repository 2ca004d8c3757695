// A fake Web Push service (the Mozilla/Google role) for tests. It checks every request the way a
// strict real service would — RFC 8030 headers, RFC 8292 VAPID — and additionally decrypts the
// payload with the subscriber's keys (RFC 8291), which a real service cannot do, so tests can
// assert on exactly what a browser would receive. Anything that fails a check lands in
// `rejected`; tests assert that stays empty.
import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestSubscriber } from './push-subscriber.ts';
import type { TestSubscriber } from './push-subscriber.ts';

export interface ReceivedPush {
  subscriberId: string;
  endpoint: string;
  payload: unknown;
  rawPayload: string;
  headers: { ttl: number; urgency: string | null; topic: string | null; contentEncoding: string };
  vapid: { aud: string; exp: number; sub: string; publicKey: string };
  at: number;
}

export interface RejectedPush {
  endpoint: string;
  reason: string;
  status: number;
}

export type PushBehaviour =
  | { status: 410 }
  | { status: 404 }
  | { status: 413; times?: number }
  | { status: 429; retryAfter?: number; times?: number }
  | { status: 500; times?: number }
  | { hang: true };

export interface PushServiceSubscriber extends TestSubscriber {
  id: string;
}

export interface PushService {
  origin: string;
  newSubscriber(name?: string): PushServiceSubscriber;
  received: ReceivedPush[];
  rejected: RejectedPush[];
  /** Sets how the service answers a subscriber's (verified) messages; null restores 201. */
  behave(subscriberIdOrEndpoint: string, behaviour: PushBehaviour | null): void;
  requestsFor(subscriberId: string): number;
  readonly requestCount: number;
  readonly inFlight: number;
  readonly maxConcurrent: number;
  waitForReceived(count: number, timeoutMs?: number): Promise<ReceivedPush[]>;
  close(): Promise<void>;
}

const MAX_BODY = 4096; // RFC 8030 §7.2: services must accept at least 4096 bytes; we accept no more
const MAX_VAPID_LIFETIME_S = 24 * 60 * 60; // RFC 8292 §2
const URGENCIES = new Set(['very-low', 'low', 'normal', 'high']);
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A failed check: the HTTP status to answer with, and why. */
class Rejection extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
  }
}

export async function startPushService(): Promise<PushService> {
  const subscribers = new Map<string, PushServiceSubscriber>();
  const behaviours = new Map<string, PushBehaviour>();
  const counts = new Map<string, number>();
  const received: ReceivedPush[] = [];
  const rejected: RejectedPush[] = [];
  const hanging = new Set<ServerResponse>();
  let requestCount = 0;
  let inFlight = 0;
  let maxConcurrent = 0;
  let origin = '';

  const server = createServer((req, res) => {
    requestCount++;
    inFlight++;
    maxConcurrent = Math.max(maxConcurrent, inFlight);
    // 'close' fires once per response whether answered or abandoned by the client.
    res.on('close', () => {
      inFlight--;
      hanging.delete(res);
    });
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) answer(res, 500, String(err));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const endpoint = `${origin}${req.url ?? ''}`;
    const body = await readBody(req);
    const id = /^\/push\/([^/?#]+)$/.exec(req.url ?? '')?.[1];
    const subscriber = id === undefined ? undefined : subscribers.get(id);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    let message: ReceivedPush;
    try {
      if (req.method !== 'POST') throw new Rejection(405, `method ${req.method ?? '?'} not allowed`);
      if (!subscriber) throw new Rejection(404, 'unknown push subscription');
      message = check(req, body, subscriber);
    } catch (err) {
      const status = err instanceof Rejection ? err.status : 400;
      const reason = err instanceof Error ? err.message : String(err);
      rejected.push({ endpoint, reason, status });
      answer(res, status, reason);
      return;
    }
    applyBehaviour(subscriber.id, res, message);
  }

  function check(req: IncomingMessage, body: Buffer, subscriber: PushServiceSubscriber): ReceivedPush {
    const vapid = verifyVapid(req.headers.authorization, origin);
    const contentEncoding = header(req, 'content-encoding') ?? '';
    // RFC 9110 §15.5.16: 415 covers an unsupported Content-Encoding.
    if (contentEncoding !== 'aes128gcm')
      throw new Rejection(415, `Content-Encoding "${contentEncoding}" is not aes128gcm`);
    const ttl = header(req, 'ttl');
    if (ttl === null || !/^\d+$/.test(ttl)) throw new Rejection(400, `TTL header missing or invalid: ${ttl}`);
    const urgency = header(req, 'urgency');
    if (urgency !== null && !URGENCIES.has(urgency)) throw new Rejection(400, `invalid Urgency "${urgency}"`);
    const topic = header(req, 'topic');
    if (topic !== null && (topic.length > 32 || !BASE64URL.test(topic)))
      throw new Rejection(400, `invalid Topic "${topic}"`);
    if (body.length > MAX_BODY) throw new Rejection(413, `payload of ${body.length} bytes exceeds ${MAX_BODY}`);
    let plaintext: Buffer;
    try {
      plaintext = subscriber.decrypt(body);
    } catch (err) {
      throw new Rejection(400, `decryption failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const rawPayload = plaintext.toString('utf8');
    return {
      subscriberId: subscriber.id,
      endpoint: subscriber.endpoint,
      payload: parseJson(rawPayload),
      rawPayload,
      headers: { ttl: Number(ttl), urgency, topic, contentEncoding },
      vapid,
      at: Date.now(),
    };
  }

  function applyBehaviour(id: string, res: ServerResponse, message: ReceivedPush): void {
    const behaviour = behaviours.get(id);
    if (!behaviour) {
      received.push(message);
      res.setHeader('Location', `${origin}/message/${randomUUID()}`);
      res.setHeader('TTL', String(message.headers.ttl));
      answer(res, 201, '');
      return;
    }
    if ('hang' in behaviour) {
      hanging.add(res); // never answered; the client gives up or close() destroys the socket
      return;
    }
    if ('times' in behaviour && behaviour.times !== undefined) {
      if (behaviour.times <= 1) behaviours.delete(id);
      else behaviours.set(id, { ...behaviour, times: behaviour.times - 1 });
    }
    if (behaviour.status === 429 && behaviour.retryAfter !== undefined) {
      res.setHeader('Retry-After', String(behaviour.retryAfter));
    }
    answer(res, behaviour.status, `simulated ${behaviour.status}`);
  }

  function resolveId(idOrEndpoint: string): string {
    const id = idOrEndpoint.startsWith(`${origin}/push/`) ? idOrEndpoint.slice(`${origin}/push/`.length) : idOrEndpoint;
    if (!subscribers.has(id)) throw new Error(`push service: unknown subscriber ${idOrEndpoint}`);
    return id;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    received,
    rejected,
    newSubscriber(name = 'sub') {
      const id = `${name}-${randomUUID()}`;
      const subscriber = { ...createTestSubscriber(`${origin}/push/${id}`), id };
      subscribers.set(id, subscriber);
      return subscriber;
    },
    behave(idOrEndpoint, behaviour) {
      const id = resolveId(idOrEndpoint);
      if (behaviour) behaviours.set(id, behaviour);
      else behaviours.delete(id);
    },
    requestsFor: (id) => counts.get(id) ?? 0,
    get requestCount() {
      return requestCount;
    },
    get inFlight() {
      return inFlight;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    async waitForReceived(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `push service: ${received.length}/${count} messages after ${timeoutMs} ms; rejected: ${JSON.stringify(rejected)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** RFC 8292: `Authorization: vapid t=<JWT>, k=<P-256 public key>`, ES256-signed, aud = our origin. */
function verifyVapid(authorization: string | undefined, origin: string): ReceivedPush['vapid'] {
  if (!authorization) throw new Rejection(401, 'no Authorization header');
  const match = /^vapid\s+(.*)$/i.exec(authorization.trim());
  if (!match?.[1]) throw new Rejection(401, `Authorization scheme is not vapid: ${authorization}`);
  const params = new Map<string, string>();
  for (const part of match[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const token = params.get('t');
  const k = params.get('k');
  if (!token || !k) throw new Rejection(401, 'vapid Authorization needs both t= and k=');

  const point = decodeBase64url(k, 'k');
  if (point.length !== 65 || point[0] !== 0x04) throw new Rejection(403, 'k is not an uncompressed P-256 point');
  let key;
  try {
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    };
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new Rejection(403, 'k is not a valid P-256 public key');
  }

  const parts = token.split('.');
  if (parts.length !== 3) throw new Rejection(403, 'JWT does not have three parts');
  const [headerPart = '', claimsPart = '', signaturePart = ''] = parts;
  const jose = decodeJsonPart(headerPart, 'JWT header');
  if (jose.typ !== 'JWT' || jose.alg !== 'ES256')
    throw new Rejection(403, `JWT header must be {typ: JWT, alg: ES256}: ${JSON.stringify(jose)}`);
  // JOSE ES256 signatures are raw r || s (64 bytes), not DER.
  const signature = decodeBase64url(signaturePart, 'JWT signature');
  const signed = Buffer.from(`${headerPart}.${claimsPart}`);
  if (signature.length !== 64 || !verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
    throw new Rejection(403, 'JWT signature does not verify against k');
  }

  const { aud, exp, sub } = decodeJsonPart(claimsPart, 'JWT claims');
  if (aud !== origin) throw new Rejection(403, `JWT aud ${JSON.stringify(aud)} is not ${origin}`);
  const now = Date.now() / 1000;
  if (typeof exp !== 'number' || !Number.isInteger(exp)) throw new Rejection(403, 'JWT exp is not an integer');
  if (exp <= now) throw new Rejection(403, `JWT expired at ${exp}`);
  if (exp > now + MAX_VAPID_LIFETIME_S) throw new Rejection(403, `JWT exp ${exp} is more than 24 h ahead`);
  if (typeof sub !== 'string' || !/^(mailto:|https:)/.test(sub) || !URL.canParse(sub)) {
    throw new Rejection(403, `JWT sub ${JSON.stringify(sub)} is not a mailto: or https: URL`);
  }
  return { aud, exp, sub, publicKey: k };
}

function decodeBase64url(text: string, what: string): Buffer {
  // Buffer.from(..., 'base64url') silently skips junk; a strict service would not.
  if (!BASE64URL.test(text)) throw new Rejection(403, `${what} is not base64url`);
  return Buffer.from(text, 'base64url');
}

function decodeJsonPart(part: string, what: string): Record<string, unknown> {
  const value = parseJson(decodeBase64url(part, what).toString('utf8'));
  if (typeof value !== 'object' || value === null) throw new Rejection(403, `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain' });
  res.end(text);
}
