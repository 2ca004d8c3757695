/**
 * The push service for the push scenario, in its own process and deliberately cheap (a plain
 * node:http server) so it does not take the cores from the senders: counts the requests per
 * subscriber, answers 201, and tells the orchestrator the moment the expected count is reached.
 * One request in SAMPLE_EVERY is checked properly: VAPID header present and the aes128gcm body
 * decrypts with the subscriber's keys to a JSON alert (tests/helpers/push-subscriber.ts).
 */
import { createECDH } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decryptAes128gcm } from '../../tests/helpers/push-subscriber.ts';
import { now } from '../lib/clock.ts';
import { loadPushKeys, type PushKey } from '../lib/push-keys.ts';
import { emit, serve } from '../lib/rpc.ts';

const SAMPLE_EVERY = 1_000;

let keys: PushKey[] = [];
let counts = new Uint16Array(0);
let total = 0;
let expected = 0;
let duplicates = 0;
let verified = 0;
let verifyFailures: string[] = [];
let lastPayload = '';

function verify(req: IncomingMessage, body: Buffer, key: PushKey): void {
  try {
    if (!/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/.test(req.headers.authorization ?? ''))
      throw new Error('no VAPID authorization');
    if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(key.privateKey, 'base64url'));
    const text = decryptAes128gcm(
      body,
      ecdh,
      Buffer.from(key.p256dh, 'base64url'),
      Buffer.from(key.auth, 'base64url'),
    ).toString('utf8');
    if (typeof (JSON.parse(text) as { title?: unknown }).title !== 'string')
      throw new Error('decrypted payload has no title');
    verified++;
    lastPayload = text;
  } catch (error) {
    if (verifyFailures.length < 5) verifyFailures.push(error instanceof Error ? error.message : String(error));
  }
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const index = Number(/^\/push\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
    const key = keys[index];
    if (req.method !== 'POST' || !key) {
      res.writeHead(404).end();
      return;
    }
    if (++counts[index]! > 1) duplicates++;
    total++;
    if (total % SAMPLE_EVERY === 1) verify(req, Buffer.concat(chunks), key);
    res.writeHead(201).end();
    if (total === expected) emit('done', { at: now() });
  });
});

serve({
  listen: ({ count }: { count: number }) => {
    keys = loadPushKeys(count);
    counts = new Uint16Array(count);
    return new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', 4096, () => resolve((server.address() as AddressInfo).port)),
    );
  },
  reset: ({ expect }: { expect: number }) => {
    counts.fill(0);
    total = 0;
    duplicates = 0;
    verified = 0;
    verifyFailures = [];
    expected = expect;
  },
  status: () => ({
    total,
    distinct: counts.reduce((n, c) => n + (c > 0 ? 1 : 0), 0),
    duplicates,
    verified,
    verifyFailures,
    lastPayload,
  }),
});
