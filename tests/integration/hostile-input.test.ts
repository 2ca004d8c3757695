/**
 * Hostile and malformed input, against two API nodes. Every case below is one request that an
 * attacker, a broken client or a fuzzer could send: broken JSON, bodies over the limits, deep
 * nesting, prototype-poisoning keys, unicode tricks, wrong types and unknown fields, bad ids and
 * cursors, wrong content types, bad or insufficient credentials, push endpoints that point inside
 * the network, malformed push keys and topics, conflicts. Each must be refused with a 4xx and
 * the `{error: {code, message}}` body (with the code the contract names), never a 5xx; and all
 * of them together must leave Redis exactly as it was (rate-limit counters aside), queue no job,
 * and leave both nodes serving. The same requests without their hostile part are then accepted,
 * which shows that each case was refused for what makes it hostile.
 *
 * Then Socket.IO: garbage packets over a raw websocket are ignored or close only that
 * connection; invalid subscribe messages are acknowledged VALIDATION_FAILED; a connection holds
 * at most 20 stories; readers on both nodes keep receiving live events throughout. Last, the
 * per-editor write rate limit, shared by both nodes.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StoryEvent } from '../../src/domain/events.ts';
import { QUEUES } from '../../src/queue/jobs.ts';
import { bullmqConnectionOptions } from '../../src/redis.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

// ---------------------------------------------------------------------------------------------
// The stack and what is seeded in it before the hostile requests
// ---------------------------------------------------------------------------------------------

/** Everything a case needs that exists only once the stack is seeded. */
interface Ctx {
  storyId: string;
  slug: string;
  endedId: string;
  /** Tokens: an admin, an editor (role editor), and a revoked editor. */
  admin: string;
  editor: string;
  revoked: string;
  /** A valid P-256 key and auth secret, so that only the part under test is wrong. */
  keys: { p256dh: string; auth: string };
}

const SLUG = 'hostile-input';
const ENDED_SLUG = 'hostile-input-ended';
/** Three pinned updates (MAX_PINNED is 3), one plain one, one deleted one. */
const PINNED = ['seed-pin-1', 'seed-pin-2', 'seed-pin-3'];
const PLAIN = 'seed-plain';
const GONE = 'seed-gone';
/** A push subscription that exists, so that a DELETE that got through would remove it. */
const SEEDED_ENDPOINT = 'https://8.8.8.8/push/seeded-subscription';
/** A public address literal: passes the SSRF guard without any DNS lookup. */
const PUBLIC_ENDPOINT = 'https://8.8.8.8/push/hostile';

let stack: Stack;
let ctx: Ctx;
let storyOps: Queue;
let pushFanout: Queue;
let redisBefore: Map<string, string>;
let queueBefore: QueueSnapshot;
let storyBefore: { lastSeq: number; epoch: string };

function p256Keys(): { p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  return { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

async function ok(response: Promise<{ status: number; body: unknown }>, status: number, what: string) {
  const { status: got, body } = await response;
  if (got !== status) throw new Error(`seeding: ${what} answered ${got} ${JSON.stringify(body)}`);
  return body as Record<string, unknown>;
}

beforeAll(async () => {
  stack = await startStack({
    apis: 2,
    workers: 1,
    env: { WRITE_RATE_PER_MINUTE: '1000000', PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000000' },
  });
  const connection = bullmqConnectionOptions(stack.config.redisUrl);
  storyOps = new Queue(QUEUES.storyOps, { connection, prefix: stack.config.queuePrefix });
  pushFanout = new Queue(QUEUES.pushFanout, { connection, prefix: stack.config.queuePrefix });

  const story = await ok(
    stack.request('POST', '/api/stories', { body: { title: 'Hostile input', slug: SLUG, summary: 'Seeded' } }),
    201,
    'story',
  );
  const storyId = String(story.id);
  for (const id of PINNED)
    await ok(
      stack.request('POST', `/api/stories/${storyId}/updates`, { body: { id, body: `Pinned ${id}`, pinned: true } }),
      202,
      id,
    );
  await ok(
    stack.request('POST', `/api/stories/${storyId}/updates`, {
      body: { id: PLAIN, title: 'Plain', body: 'A **plain** update', keyEvent: true },
    }),
    202,
    PLAIN,
  );
  await ok(
    stack.request('POST', `/api/stories/${storyId}/updates`, { body: { id: GONE, body: 'Soon deleted' } }),
    202,
    GONE,
  );
  await ok(stack.request('DELETE', `/api/stories/${storyId}/updates/${GONE}`), 202, `delete ${GONE}`);
  const ended = await ok(
    stack.request('POST', '/api/stories', { body: { title: 'Hostile input, ended', slug: ENDED_SLUG } }),
    201,
    'ended story',
  );
  await ok(stack.request('PATCH', `/api/stories/${String(ended.id)}`, { body: { status: 'ended' } }), 202, 'end story');

  const editor = await ok(stack.request('POST', '/api/editors', { body: { name: 'reporter' } }), 201, 'editor');
  const departed = await ok(
    stack.request('POST', '/api/editors', { body: { name: 'departed' } }),
    201,
    'departed editor',
  );
  await ok(stack.request('DELETE', '/api/editors/departed'), 204, 'revoke');

  const keys = p256Keys();
  await ok(
    stack.request('POST', '/api/push/subscriptions', {
      token: null,
      body: {
        subscription: { endpoint: SEEDED_ENDPOINT, expirationTime: null, keys: p256Keys() },
        topics: [`story:${storyId}`],
      },
    }),
    201,
    'push subscription',
  );

  ctx = {
    storyId,
    slug: SLUG,
    endedId: String(ended.id),
    admin: stack.token,
    editor: String(editor.token),
    revoked: String(departed.token),
    keys,
  };
  // Every seeded op applied: 3 pins, plain, gone and its delete (seq 6); the ended story's patch (seq 1).
  await eventually(async () => {
    const [a, b] = await Promise.all([
      stack.request('GET', `/api/stories/${storyId}`),
      stack.request('GET', `/api/stories/${ctx.endedId}`),
    ]);
    const counts = await storyOps.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    return (
      a.body.lastSeq === 6 &&
      b.body.lastSeq === 1 &&
      b.body.status === 'ended' &&
      Object.values(counts).every((n) => n === 0)
    );
  }, 'the seeded updates to be applied');
  const seeded = (await stack.request('GET', `/api/stories/${storyId}`)).body;
  storyBefore = { lastSeq: seeded.lastSeq, epoch: seeded.epoch };
  redisBefore = await snapshotRedis();
  queueBefore = await snapshotQueues();
});

afterAll(async () => {
  await storyOps?.close();
  await pushFanout?.close();
  await stack?.close();
});

// ---------------------------------------------------------------------------------------------
// Snapshots: every key under the stack's prefix (but the rate-limit counters), and the queues
// ---------------------------------------------------------------------------------------------

/**
 * Each key's type, whether it expires, and its content read in a canonical order. (DUMP is not
 * canonical: a large hash is serialised in hash-table order, which changes when Redis finishes
 * an incremental rehash, without any write.)
 */
async function canonicalContent(key: string, type: string): Promise<unknown> {
  const redis = stack.redis;
  switch (type) {
    case 'string':
      return redis.get(key);
    case 'hash':
      return Object.entries(await redis.hgetall(key)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    case 'set':
      return (await redis.smembers(key)).sort();
    case 'zset':
      return redis.call('ZRANGE', key, '0', '-1', 'WITHSCORES');
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'stream': {
      const info = (await redis.call('XINFO', 'STREAM', key)) as unknown[];
      const field = (name: string) => info[info.indexOf(name) + 1];
      return {
        entries: await redis.xrange(key, '-', '+'),
        lastId: field('last-generated-id'),
        added: field('entries-added'),
        groups: field('groups'),
      };
    }
    default:
      return (await redis.dumpBuffer(key))?.toString('hex') ?? null;
  }
}

async function snapshotRedis(): Promise<Map<string, string>> {
  const prefix = stack.config.keyPrefix;
  const snapshot = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await stack.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      if (key.startsWith(`${prefix}rate-limit:`)) continue;
      const [type, ttl] = await Promise.all([stack.redis.type(key), stack.redis.pttl(key)]);
      snapshot.set(
        key,
        JSON.stringify([type, ttl >= 0 ? 'expiring' : 'persistent', await canonicalContent(key, type)]),
      );
    }
  } while (cursor !== '0');
  return snapshot;
}

interface QueueSnapshot {
  idCounter: string | null;
  counts: Record<string, number>;
  jobIds: string[];
  fanoutCounts: Record<string, number>;
}

const JOB_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children'] as const;

async function snapshotQueues(): Promise<QueueSnapshot> {
  const jobs = await storyOps.getJobs([...JOB_STATES]);
  return {
    idCounter: await stack.redis.get(`${stack.config.queuePrefix}:${QUEUES.storyOps}:id`),
    counts: await storyOps.getJobCounts(...JOB_STATES),
    jobIds: jobs.map((job) => String(job.id)).sort(),
    fanoutCounts: await pushFanout.getJobCounts(...JOB_STATES),
  };
}

function diffSnapshots(before: Map<string, string>, after: Map<string, string>) {
  return {
    added: [...after.keys()].filter((key) => !before.has(key)).sort(),
    removed: [...before.keys()].filter((key) => !after.has(key)).sort(),
    changed: [...before.keys()].filter((key) => after.has(key) && after.get(key) !== before.get(key)).sort(),
  };
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/** A body: text as is, raw bytes (fetch then sends no Content-Type), or a chunked stream of n bytes. */
type RawBody = string | Uint8Array<ArrayBuffer> | { stream: number };

interface Req {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: RawBody;
}

interface Case {
  name: string;
  req: (c: Ctx) => Req;
  status: number;
  code: string;
}

interface Answer {
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

async function send(base: string, req: Req): Promise<Answer> {
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

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const JSON_TYPE = { 'content-type': 'application/json' };

/** A request with a JSON(-ish) text body, as an admin unless `token` says otherwise (null: no token). */
function jsonReq(
  method: string,
  path: string,
  body: RawBody,
  token: string | null,
  headers: Record<string, string> = {},
): Req {
  return { method, path, body, headers: { ...JSON_TYPE, ...(token ? bearer(token) : {}), ...headers } };
}

function short(value: unknown, max = 40): string {
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

// ---------------------------------------------------------------------------------------------
// The routes that take a body, each with a body it would accept
// ---------------------------------------------------------------------------------------------

interface BodyRoute {
  label: string;
  method: string;
  path: (c: Ctx) => string;
  /** Admin token for routes behind auth; null for the public push routes. */
  token: (c: Ctx) => string | null;
  /** A body the route accepts (2xx); null for DELETE of an update, which takes none. */
  valid: ((c: Ctx) => Record<string, unknown>) | null;
  /** The status of the valid request. */
  accepted: number;
}

const storyPath = (c: Ctx) => `/api/stories/${c.storyId}`;
const updatePath = (c: Ctx, id = PLAIN) => `/api/stories/${c.storyId}/updates/${id}`;
const admin = (c: Ctx) => c.admin;
const publicRoute = () => null;

const POST_STORY: BodyRoute = {
  label: 'POST /api/stories',
  method: 'POST',
  path: () => '/api/stories',
  token: admin,
  accepted: 201,
  valid: () => ({ title: 'Planted story', slug: 'planted-story', summary: 'Planted' }),
};
const PATCH_STORY: BodyRoute = {
  label: 'PATCH /api/stories/:id',
  method: 'PATCH',
  path: storyPath,
  token: admin,
  accepted: 202,
  valid: () => ({ title: 'Renamed by an attacker', summary: 'Changed' }),
};
const POST_UPDATE: BodyRoute = {
  label: 'POST /api/stories/:id/updates',
  method: 'POST',
  path: (c) => `${storyPath(c)}/updates`,
  token: admin,
  accepted: 202,
  valid: () => ({ id: 'planted-update', title: 'Planted', body: 'Planted **update**', keyEvent: true, notify: false }),
};
const PATCH_UPDATE: BodyRoute = {
  label: 'PATCH /api/stories/:id/updates/:updateId',
  method: 'PATCH',
  path: (c) => updatePath(c),
  token: admin,
  accepted: 202,
  valid: () => ({ title: 'Edited', body: 'Edited by an attacker', keyEvent: false }),
};
const DELETE_UPDATE: BodyRoute = {
  label: 'DELETE /api/stories/:id/updates/:updateId',
  method: 'DELETE',
  path: (c) => updatePath(c),
  token: admin,
  accepted: 202,
  valid: null,
};
const PREVIEW: BodyRoute = {
  label: 'POST /api/preview',
  method: 'POST',
  path: () => '/api/preview',
  token: admin,
  accepted: 200,
  valid: () => ({ body: 'Preview **this**' }),
};
const POST_EDITOR: BodyRoute = {
  label: 'POST /api/editors',
  method: 'POST',
  path: () => '/api/editors',
  token: admin,
  accepted: 201,
  valid: () => ({ name: 'mallory', role: 'admin' }),
};
const SUBSCRIBE: BodyRoute = {
  label: 'POST /api/push/subscriptions',
  method: 'POST',
  path: () => '/api/push/subscriptions',
  token: publicRoute,
  accepted: 201,
  valid: (c) => ({
    subscription: { endpoint: PUBLIC_ENDPOINT, expirationTime: null, keys: c.keys },
    topics: [`story:${c.storyId}`, 'breaking'],
  }),
};
const UNSUBSCRIBE: BodyRoute = {
  label: 'DELETE /api/push/subscriptions',
  method: 'DELETE',
  path: () => '/api/push/subscriptions',
  token: publicRoute,
  accepted: 204,
  valid: () => ({ endpoint: SEEDED_ENDPOINT }),
};

/** Routes whose body has a schema. */
const SCHEMA_ROUTES = [
  POST_STORY,
  PATCH_STORY,
  POST_UPDATE,
  PATCH_UPDATE,
  PREVIEW,
  POST_EDITOR,
  SUBSCRIBE,
  UNSUBSCRIBE,
];
/** Every route that reads a JSON body when one is sent, DELETE of an update included. */
const BODY_ROUTES = [...SCHEMA_ROUTES, DELETE_UPDATE];

function routeReq(route: BodyRoute, c: Ctx, body: RawBody, headers: Record<string, string> = {}): Req {
  return jsonReq(route.method, route.path(c), body, route.token(c), headers);
}

function validBody(route: BodyRoute, c: Ctx): Record<string, unknown> {
  if (!route.valid) throw new Error(`${route.label} takes no body`);
  return route.valid(c);
}

/** A deep copy of the route's valid body with one property (a dotted path) set, or removed. */
function mutated(route: BodyRoute, c: Ctx, path: string, value: unknown, remove = false): Record<string, unknown> {
  const body = structuredClone(validBody(route, c));
  const parts = path.split('.');
  let target = body;
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
  if (remove) delete target[parts.at(-1)!];
  else target[parts.at(-1)!] = value;
  return body;
}

// ---------------------------------------------------------------------------------------------
// The cases, family by family
// ---------------------------------------------------------------------------------------------

const BAD_SYNTAX: [string, RawBody][] = [
  ['truncated object', '{"body":"x","title":"y"'],
  ['truncated string', '{"body":"x'],
  ['trailing garbage', '{"body":"x"} and more'],
  ['two documents', '{"body":"x"}{"body":"y"}'],
  ['single quotes', "{'body':'x'}"],
  ['unquoted keys', '{body:"x"}'],
  ['NaN', '{"body":"x","n":NaN}'],
  ['Infinity', '{"body":"x","n":-Infinity}'],
  ['comments', '/* note */ {"body":"x"} // end'],
  ['trailing comma', '{"body":"x",}'],
  ['invalid escape', '{"body":"\\x41"}'],
  ['raw control character in a string', '{"body":"a\u0001b"}'],
  ['invalid UTF-8 after the document', new Uint8Array([...new TextEncoder().encode('{"body":"x"}'), 0xff, 0xfe])],
  ['BOM only', '\ufeff'],
  ['empty', ''],
  ['whitespace only', ' \r\n\t '],
];

const NOT_AN_OBJECT: [string, string][] = [
  ['null', 'null'],
  ['an array', '[]'],
  ['an array holding the object', '[{"body":"x","title":"y","name":"x","endpoint":"https://8.8.8.8/x"}]'],
  ['a number', '42'],
  ['a string', '"body"'],
  ['true', 'true'],
];

function badJsonCases(): Case[] {
  const cases: Case[] = [];
  for (const route of BODY_ROUTES) {
    for (const [what, body] of BAD_SYNTAX) {
      // Raw bytes would go without a Content-Type; this family is about JSON that does not parse.
      cases.push({
        name: `${route.label} · bad JSON · ${what}`,
        req: (c) => routeReq(route, c, body),
        status: 400,
        code: 'INVALID_JSON',
      });
    }
  }
  for (const route of SCHEMA_ROUTES) {
    for (const [what, body] of NOT_AN_OBJECT) {
      cases.push({
        name: `${route.label} · JSON that is not an object · ${what}`,
        req: (c) => routeReq(route, c, body),
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  }
  return cases;
}

const KIB = 1024;

function tooLargeCases(): Case[] {
  const cases: Case[] = [];
  const over = (bytes: number) => `{"body":"${'x'.repeat(bytes)}"}`;
  for (const route of BODY_ROUTES) {
    cases.push({
      name: `${route.label} · body over 256 KiB (300 KiB)`,
      req: (c) => routeReq(route, c, over(300 * KIB)),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    cases.push({
      name: `${route.label} · body of 2 MiB`,
      req: (c) => routeReq(route, c, over(2048 * KIB)),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
  }
  for (const route of [POST_UPDATE, SUBSCRIBE, POST_STORY]) {
    cases.push({
      name: `${route.label} · 400 KiB streamed without Content-Length`,
      req: (c) => routeReq(route, c, { stream: 400 * KIB }),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
  }
  const updateBodies: [string, string][] = [
    ['64 KiB + 1 byte of ASCII', 'a'.repeat(64 * KIB + 1)],
    ['70,000 ASCII characters (over the schema limit too)', 'a'.repeat(70_000)],
    ['20,000 emoji (80 KB in UTF-8, under the character limit)', '🔥'.repeat(20_000)],
    ['40,000 × "é" (80 KB in UTF-8)', 'é'.repeat(40_000)],
  ];
  for (const route of [POST_UPDATE, PATCH_UPDATE, PREVIEW]) {
    for (const [what, text] of updateBodies) {
      cases.push({
        name: `${route.label} · update body ${what}`,
        req: (c) => routeReq(route, c, JSON.stringify(mutated(route, c, 'body', text))),
        status: 413,
        code: 'UPDATE_TOO_LARGE',
      });
    }
  }
  return cases;
}

function deepNestingCases(): Case[] {
  const arrays = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const objects = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  const payloads: [string, string, string][] = [
    ['20 levels of arrays in a field', `{"body":"x","title":${arrays(20)}}`, 'BAD_REQUEST'],
    ['20 levels of objects in a field', `{"body":"x","name":${objects(20)}}`, 'BAD_REQUEST'],
    ['100,000 levels of arrays', arrays(100_000), 'BAD_REQUEST'],
    ['40,000 levels of objects', objects(40_000), 'BAD_REQUEST'],
    ['100,000 unclosed arrays', '['.repeat(100_000), 'INVALID_JSON'],
    [
      '__proto__ at depth 50,000',
      `${'['.repeat(50_000)}{"__proto__":{"polluted":1}}${']'.repeat(50_000)}`,
      'BAD_REQUEST',
    ],
  ];
  return BODY_ROUTES.flatMap((route) =>
    payloads.map(([what, body, code]): Case => ({
      name: `${route.label} · deep nesting · ${what}`,
      req: (c) => routeReq(route, c, body),
      status: 400,
      code,
    })),
  );
}

function prototypeCases(): Case[] {
  const cases: Case[] = [];
  for (const route of BODY_ROUTES) {
    const base = (c: Ctx) => (route.valid ? JSON.stringify(validBody(route, c)).slice(1, -1) : '"x":1');
    const payloads: [string, (c: Ctx) => string][] = [
      ['__proto__ at the top', (c) => `{"__proto__":{"polluted":"yes","role":"admin"},${base(c)}}`],
      ['__proto__ spelled with escapes', (c) => `{${base(c)},"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":"yes"}}`],
      ['__proto__ nested', (c) => `{${base(c)},"x":{"y":{"__proto__":{"polluted":"yes"}}}}`],
      ['__proto__ inside an array', (c) => `{${base(c)},"x":[1,{"__proto__":{"polluted":"yes"}}]}`],
      ['constructor.prototype at the top', (c) => `{${base(c)},"constructor":{"prototype":{"polluted":"yes"}}}`],
      ['constructor.prototype nested', (c) => `{${base(c)},"x":{"constructor":{"prototype":{"polluted":"yes"}}}}`],
    ];
    for (const [what, body] of payloads) {
      cases.push({
        name: `${route.label} · ${what}`,
        req: (c) => routeReq(route, c, body(c)),
        status: 400,
        code: 'BAD_REQUEST',
      });
    }
  }
  return cases;
}

/**
 * [field (dotted path), value, "<expected code>|<what it is>"]. Control characters and lone surrogates
 * are refused while parsing (BAD_REQUEST), pattern and length breakers by the schema (VALIDATION_FAILED).
 */
type Mutation = [string, unknown, string];

const CONTROL_TEXT: [string, string][] = [
  ['lone high surrogate', 'Storm \ud800 coast'],
  ['lone low surrogate', '\udc00 storm'],
  ['NUL', 'a\u0000b'],
  ['BEL', 'ring \u0007'],
  ['ESC sequence', '\u001b[31mred'],
  ['DEL', 'del\u007f'],
];

const PATTERN_BREAKERS: [string, string][] = [
  ['RTL override', 'update\u202etxt'],
  ['zero-width space', 'up\u200bdate'],
  ['zero-width joiner', 'up\u200ddate'],
  ['emoji', 'breaking-🔥'],
  ['Cyrillic look-alike', 'n\u0435ws'],
  ['slash', 'a/b'],
  ['dot-dot', '..'],
  ['colon (job id separator)', 'a:b'],
  ['space', 'a b'],
  ['empty', ''],
];

function unicodeCases(): Case[] {
  const perRoute: [BodyRoute, Mutation[]][] = [
    [
      POST_STORY,
      [
        ...CONTROL_TEXT.map(([what, text]): Mutation => ['title', text, `BAD_REQUEST|${what}`]),
        ...CONTROL_TEXT.slice(0, 3).map(([what, text]): Mutation => ['summary', text, `BAD_REQUEST|${what}`]),
        ...PATTERN_BREAKERS.map(([what, text]): Mutation => ['slug', text.toLowerCase(), `VALIDATION_FAILED|${what}`]),
        ['slug', 'a'.repeat(81), 'VALIDATION_FAILED|81 characters'],
        ['title', 'T'.repeat(201), 'VALIDATION_FAILED|201 characters'],
        ['title', ' \n\t ', 'VALIDATION_FAILED|blank'],
        ['summary', 's'.repeat(2001), 'VALIDATION_FAILED|2001 characters'],
      ],
    ],
    [
      PATCH_STORY,
      [
        ...CONTROL_TEXT.map(([what, text]): Mutation => ['title', text, `BAD_REQUEST|${what}`]),
        ['summary', '\u0001', 'BAD_REQUEST|SOH'],
        ['title', 'T'.repeat(201), 'VALIDATION_FAILED|201 characters'],
      ],
    ],
    [
      POST_UPDATE,
      [
        ...PATTERN_BREAKERS.map(([what, text]): Mutation => ['id', text, `VALIDATION_FAILED|${what}`]),
        ['id', 'i'.repeat(65), 'VALIDATION_FAILED|65 characters'],
        ['id', `ok\u0000`, 'BAD_REQUEST|NUL'],
        ...CONTROL_TEXT.map(([what, text]): Mutation => ['body', text, `BAD_REQUEST|${what}`]),
        ...CONTROL_TEXT.slice(0, 2).map(([what, text]): Mutation => ['title', text, `BAD_REQUEST|${what}`]),
        ['title', 'T'.repeat(201), 'VALIDATION_FAILED|201 characters'],
      ],
    ],
    [
      PATCH_UPDATE,
      [
        ...CONTROL_TEXT.map(([what, text]): Mutation => ['body', text, `BAD_REQUEST|${what}`]),
        ['title', '\ud800', 'BAD_REQUEST|lone surrogate'],
        ['title', 'T'.repeat(201), 'VALIDATION_FAILED|201 characters'],
      ],
    ],
    [PREVIEW, CONTROL_TEXT.map(([what, text]): Mutation => ['body', text, `BAD_REQUEST|${what}`])],
    [
      POST_EDITOR,
      [
        // ".." is a valid editor name (the pattern allows dots), so it is no hostile case here.
        ...PATTERN_BREAKERS.filter(([, text]) => text !== '..').map(([what, text]): Mutation => [
          'name',
          text,
          `VALIDATION_FAILED|${what}`,
        ]),
        ['name', 'n'.repeat(65), 'VALIDATION_FAILED|65 characters'],
        ['name', 'eve\u0000', 'BAD_REQUEST|NUL'],
        ['role', 'admin\u200b', 'VALIDATION_FAILED|zero-width space'],
      ],
    ],
    [
      SUBSCRIBE,
      [
        ['subscription.endpoint', `${PUBLIC_ENDPOINT}\u0000`, 'BAD_REQUEST|NUL'],
        ['subscription.endpoint', `${PUBLIC_ENDPOINT}\ud800`, 'BAD_REQUEST|lone surrogate'],
        ['subscription.endpoint', `https://8.8.8.8/${'p'.repeat(2048)}`, 'VALIDATION_FAILED|over 2048 characters'],
        ['topics', ['breaking\u200b'], 'VALIDATION_FAILED|zero-width space'],
        ['topics', ['story:abc\u202e'], 'VALIDATION_FAILED|RTL override'],
      ],
    ],
    [
      UNSUBSCRIBE,
      [
        ['endpoint', `${SEEDED_ENDPOINT}\u0000`, 'BAD_REQUEST|NUL'],
        ['endpoint', '\udfff', 'BAD_REQUEST|lone surrogate'],
        ['endpoint', 'x'.repeat(2049), 'VALIDATION_FAILED|over 2048 characters'],
      ],
    ],
  ];
  return perRoute.flatMap(([route, mutations]) =>
    mutations.map(([path, value, expected]): Case => {
      const [code, what] = expected.split('|') as [string, string];
      return {
        name: `${route.label} · unicode/length · ${path} ${what} (${short(value, 24)})`,
        req: (c) => routeReq(route, c, JSON.stringify(mutated(route, c, path, value))),
        status: 400,
        code,
      };
    }),
  );
}

function wrongTypeCases(): Case[] {
  const perRoute: [BodyRoute, [string, unknown[]][]][] = [
    [
      POST_STORY,
      [
        ['title', [1, true, null, [], {}, '']],
        ['slug', [1, null, [], 'Has-Caps', 'a--b', '-a', 'a_b']],
        ['summary', [1, null, false, ['x']]],
      ],
    ],
    [
      PATCH_STORY,
      [
        ['title', [1, null, '', '   ']],
        ['summary', [1, null, []]],
        ['status', ['deleted', 'LIVE', 1, null, true, ['ended']]],
      ],
    ],
    [
      POST_UPDATE,
      [
        ['id', [1, null, [], {}]],
        ['title', [1, true, [], {}]],
        ['body', [1, null, [], {}, '', '  \n\t ']],
        ['pinned', ['true', 1, null, []]],
        ['keyEvent', ['yes', 0]],
        ['notify', [1, 'false']],
        ['breaking', ['1', null]],
      ],
    ],
    [
      PATCH_UPDATE,
      [
        ['title', [1, false, []]],
        ['body', [1, null, '', '  ']],
        ['pinned', ['false', 0, null]],
        ['keyEvent', ['true', {}]],
      ],
    ],
    [PREVIEW, [['body', [1, null, [], {}, true]]]],
    [
      POST_EDITOR,
      [
        ['name', [1, null, [], {}, true]],
        ['role', ['root', 'ADMIN', 1, null, ['admin']]],
      ],
    ],
    [
      SUBSCRIBE,
      [
        ['subscription', [null, 'x', [], 1]],
        ['subscription.endpoint', [1, null, {}, [], 'short']],
        ['subscription.keys', [null, 'x', []]],
        ['subscription.keys.p256dh', [1, null, []]],
        ['subscription.keys.auth', [1, null, {}]],
        ['subscription.expirationTime', ['tomorrow', {}, true]],
        ['topics', ['breaking', null, {}, [1], [null]]],
      ],
    ],
    [UNSUBSCRIBE, [['endpoint', [1, null, [], {}, true, 'short']]]],
  ];
  const cases: Case[] = [];
  for (const [route, fields] of perRoute) {
    for (const [path, values] of fields) {
      for (const value of values) {
        cases.push({
          name: `${route.label} · wrong type · ${path} = ${short(value)}`,
          req: (c) => routeReq(route, c, JSON.stringify(mutated(route, c, path, value))),
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
    }
  }
  const missing: [BodyRoute, string][] = [
    [POST_STORY, 'title'],
    [POST_UPDATE, 'body'],
    [PREVIEW, 'body'],
    [POST_EDITOR, 'name'],
    [SUBSCRIBE, 'topics'],
    [SUBSCRIBE, 'subscription.keys.auth'],
    [UNSUBSCRIBE, 'endpoint'],
  ];
  for (const [route, path] of missing) {
    cases.push({
      name: `${route.label} · missing ${path}`,
      req: (c) => routeReq(route, c, JSON.stringify(mutated(route, c, path, undefined, true))),
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  }
  for (const route of [PATCH_STORY, PATCH_UPDATE]) {
    cases.push({
      name: `${route.label} · empty object (nothing to change)`,
      req: (c) => routeReq(route, c, '{}'),
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  }
  return cases;
}

function unknownFieldCases(): Case[] {
  const perRoute: [BodyRoute, [string, unknown][]][] = [
    [
      POST_STORY,
      [
        ['id', 'chosen-id'],
        ['status', 'ended'],
        ['lastSeq', 99],
        ['epoch', 'forged'],
        ['author', 'someone-else'],
      ],
    ],
    [
      PATCH_STORY,
      [
        ['slug', 'new-slug'],
        ['id', 'other'],
        ['epoch', 'forged'],
        ['lastSeq', 0],
      ],
    ],
    [
      POST_UPDATE,
      [
        ['html', '<script>alert(1)</script>'],
        ['author', 'someone-else'],
        ['storyId', 'other'],
        ['version', 9],
        ['createdAt', '2000-01-01T00:00:00Z'],
        ['deleted', false],
      ],
    ],
    [
      PATCH_UPDATE,
      [
        ['html', '<img src=x onerror=alert(1)>'],
        ['author', 'someone-else'],
        ['id', 'other'],
        ['deleted', true],
      ],
    ],
    [
      PREVIEW,
      [
        ['html', '<script>alert(1)</script>'],
        ['title', 'x'],
      ],
    ],
    [
      POST_EDITOR,
      [
        ['token', 'sp_chosen'],
        ['id', 'x'],
        ['createdAt', '2000-01-01T00:00:00Z'],
        ['revokedAt', null],
      ],
    ],
    [
      SUBSCRIBE,
      [
        ['id', 'chosen'],
        ['subscription.extra', 1],
        ['subscription.keys.extra', 'x'],
        ['subscription.keys.p256dh2', 'x'],
      ],
    ],
    [
      UNSUBSCRIBE,
      [
        ['id', 'x'],
        ['topics', ['breaking']],
      ],
    ],
  ];
  return perRoute.flatMap(([route, fields]) =>
    fields.map(([path, value]): Case => ({
      name: `${route.label} · unknown field ${path}`,
      req: (c) => routeReq(route, c, JSON.stringify(mutated(route, c, path, value))),
      status: 400,
      code: 'VALIDATION_FAILED',
    })),
  );
}

function contentTypeCases(): Case[] {
  const types: [string, Record<string, string>][] = [
    ['text/plain', { 'content-type': 'text/plain' }],
    ['text/plain;charset=UTF-8', { 'content-type': 'text/plain;charset=UTF-8' }],
    ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['multipart/form-data', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['application/xml', { 'content-type': 'application/xml' }],
    ['text/html', { 'content-type': 'text/html' }],
    ['application/jsonp', { 'content-type': 'application/jsonp' }],
  ];
  const cases: Case[] = [];
  for (const route of BODY_ROUTES) {
    // The body is what the route would accept as JSON: only the media type is wrong.
    const body = (c: Ctx) => (route.valid ? JSON.stringify(validBody(route, c)) : '{}');
    const auth = (c: Ctx): Record<string, string> => {
      const token = route.token(c);
      return token ? bearer(token) : {};
    };
    for (const [what, header] of types) {
      cases.push({
        name: `${route.label} · Content-Type ${what}`,
        req: (c) => ({ method: route.method, path: route.path(c), headers: { ...auth(c), ...header }, body: body(c) }),
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
    }
    cases.push({
      name: `${route.label} · a body without Content-Type`,
      req: (c) => ({
        method: route.method,
        path: route.path(c),
        headers: auth(c),
        body: new TextEncoder().encode(body(c)),
      }),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  }
  return cases;
}

/** Requests an editor token authorizes, each complete and valid but for its credentials. */
const AUTH_ROUTES: [string, (c: Ctx) => Req][] = [
  [
    'POST /api/stories',
    () => jsonReq('POST', '/api/stories', JSON.stringify({ title: 'Auth test', slug: 'auth-test' }), null),
  ],
  ['PATCH /api/stories/:id', (c) => jsonReq('PATCH', storyPath(c), JSON.stringify({ status: 'ended' }), null)],
  [
    'POST /api/stories/:id/updates',
    (c) => jsonReq('POST', `${storyPath(c)}/updates`, JSON.stringify({ id: 'auth-test', body: 'Auth test' }), null),
  ],
  [
    'PATCH /api/stories/:id/updates/:updateId',
    (c) => jsonReq('PATCH', updatePath(c), JSON.stringify({ body: 'Auth test' }), null),
  ],
  ['DELETE /api/stories/:id/updates/:updateId', (c) => ({ method: 'DELETE', path: updatePath(c) })],
  ['POST /api/preview', () => jsonReq('POST', '/api/preview', JSON.stringify({ body: 'x' }), null)],
  [
    'POST /api/editors',
    () => jsonReq('POST', '/api/editors', JSON.stringify({ name: 'intruder', role: 'admin' }), null),
  ],
  ['DELETE /api/editors/:name', () => ({ method: 'DELETE', path: '/api/editors/reporter' })],
  ['GET /api/editors', () => ({ method: 'GET', path: '/api/editors' })],
  ['GET /api/stories/:id/readers', (c) => ({ method: 'GET', path: `${storyPath(c)}/readers` })],
  ['GET /api/stories/:id/updates/:updateId/delivery', (c) => ({ method: 'GET', path: `${updatePath(c)}/delivery` })],
  ['GET /api/stories/:id/audit', (c) => ({ method: 'GET', path: `${storyPath(c)}/audit` })],
];

const BAD_CREDENTIALS: [string, (c: Ctx) => string | null][] = [
  ['no Authorization', () => null],
  ['Basic with the admin token as password', (c) => `Basic ${Buffer.from(`tester:${c.admin}`).toString('base64')}`],
  ['Basic garbage', () => 'Basic !!!not-base64!!!'],
  ['"Bearer" alone', () => 'Bearer'],
  ['Bearer and spaces only', () => 'Bearer     '],
  ['Bearer token with spaces inside', (c) => `Bearer ${c.admin.slice(0, 10)} ${c.admin.slice(10)}`],
  ['Bearer valid token then garbage', (c) => `Bearer ${c.admin} extra`],
  ['Bearer two tokens', (c) => `Bearer ${c.admin},${c.admin}`],
  ['Bearer 10 KB token', () => `Bearer sp_${'A'.repeat(10 * KIB)}`],
  ['Bearer token of a revoked editor', (c) => `Bearer ${c.revoked}`],
  ['Bearer token one character off', (c) => `Bearer ${c.admin.slice(0, -1)}${c.admin.endsWith('A') ? 'B' : 'A'}`],
  ['Bearer token hash instead of token', () => `Bearer ${'0'.repeat(64)}`],
  ['Bearer Latin-1 token', () => 'Bearer sp_\u00e9\u00e8\u00ff'],
  ['Token scheme', (c) => `Token ${c.admin}`],
];

function authCases(): Case[] {
  const cases: Case[] = [];
  for (const [label, build] of AUTH_ROUTES) {
    for (const [what, header] of BAD_CREDENTIALS) {
      cases.push({
        name: `${label} · ${what}`,
        req: (c) => {
          const req = build(c);
          const value = header(c);
          return { ...req, headers: { ...req.headers, ...(value === null ? {} : { authorization: value }) } };
        },
        status: 401,
        code: 'UNAUTHORIZED',
      });
    }
  }
  return cases;
}

function forbiddenCases(): Case[] {
  const asEditor = (req: Req, c: Ctx): Req => ({ ...req, headers: { ...req.headers, ...bearer(c.editor) } });
  const basicEditor = (c: Ctx) => ({
    authorization: `Basic ${Buffer.from(`reporter:${c.editor}`).toString('base64')}`,
  });
  const queueApi = '/admin/queues/api/queues';
  const list: [string, (c: Ctx) => Req, number, string][] = [
    [
      'POST /api/stories as an editor',
      (c) => asEditor(jsonReq('POST', '/api/stories', JSON.stringify({ title: 'Not allowed' }), null), c),
      403,
      'FORBIDDEN',
    ],
    [
      'PATCH /api/stories/:id as an editor',
      (c) => asEditor(jsonReq('PATCH', storyPath(c), JSON.stringify({ status: 'ended' }), null), c),
      403,
      'FORBIDDEN',
    ],
    [
      'POST /api/editors as an editor (to make an admin)',
      (c) => asEditor(jsonReq('POST', '/api/editors', JSON.stringify({ name: 'sock-puppet', role: 'admin' }), null), c),
      403,
      'FORBIDDEN',
    ],
    ['GET /api/editors as an editor', (c) => asEditor({ method: 'GET', path: '/api/editors' }, c), 403, 'FORBIDDEN'],
    [
      'DELETE /api/editors/:name as an editor (revoke the admin)',
      (c) => asEditor({ method: 'DELETE', path: '/api/editors/tester' }, c),
      403,
      'FORBIDDEN',
    ],
    [
      'GET /api/audit/editors as an editor',
      (c) => asEditor({ method: 'GET', path: '/api/audit/editors' }, c),
      403,
      'FORBIDDEN',
    ],
    [
      'GET /admin/queues/api/queues as an editor (Bearer)',
      (c) => asEditor({ method: 'GET', path: queueApi }, c),
      403,
      'FORBIDDEN',
    ],
    [
      'GET /admin/queues/api/queues as an editor (Basic)',
      (c) => ({ method: 'GET', path: queueApi, headers: basicEditor(c) }),
      403,
      'FORBIDDEN',
    ],
    [
      'PUT /admin/queues/…/story-ops/obliterate as an editor',
      (c) => ({ method: 'PUT', path: `${queueApi}/${QUEUES.storyOps}/obliterate`, headers: basicEditor(c) }),
      403,
      'FORBIDDEN',
    ],
    [
      'PUT /admin/queues/…/story-ops/clean/completed as an editor',
      (c) => asEditor({ method: 'PUT', path: `${queueApi}/${QUEUES.storyOps}/clean/completed` }, c),
      403,
      'FORBIDDEN',
    ],
    [
      'POST /admin/queues/…/story-ops/add as an editor',
      (c) =>
        asEditor(
          jsonReq(
            'POST',
            `${queueApi}/${QUEUES.storyOps}/add`,
            JSON.stringify({ name: 'update.delete', data: {} }),
            null,
          ),
          c,
        ),
      403,
      'FORBIDDEN',
    ],
    [
      'PUT /admin/queues/…/story-ops/pause without credentials',
      () => ({ method: 'PUT', path: `${queueApi}/${QUEUES.storyOps}/pause` }),
      401,
      'UNAUTHORIZED',
    ],
    [
      'PUT /admin/queues/…/story-ops/empty with garbled Basic',
      () => ({ method: 'PUT', path: `${queueApi}/${QUEUES.storyOps}/empty`, headers: { authorization: 'Basic Og==' } }),
      401,
      'UNAUTHORIZED',
    ],
    [
      'PUT /admin/queues/…/story-ops/empty with a revoked token as Basic',
      (c) => ({
        method: 'PUT',
        path: `${queueApi}/${QUEUES.storyOps}/empty`,
        headers: { authorization: `Basic ${Buffer.from(`departed:${c.revoked}`).toString('base64')}` },
      }),
      401,
      'UNAUTHORIZED',
    ],
  ];
  return list.map(([name, req, status, code]) => ({ name, req, status, code }));
}

function pathAndQueryCases(): Case[] {
  const cases: Case[] = [];
  const add = (name: string, req: (c: Ctx) => Req, status: number, code: string) =>
    cases.push({ name, req, status, code });
  const storyIds: [string, string, number, string][] = [
    ['..%2F..%2Fetc%2Fpasswd', 'encoded dot-dot-slash', 404, 'STORY_NOT_FOUND'],
    // (A bare "%2e%2e" segment would be resolved as ".." by fetch itself, before sending.)
    ['%2e%2e%2Fsecret', 'encoded dot-dot with a slash', 404, 'STORY_NOT_FOUND'],
    ['%00', 'NUL', 404, 'STORY_NOT_FOUND'],
    ['%E2%80%AEdi', 'RTL override', 404, 'STORY_NOT_FOUND'],
    ['%F0%9F%94%A5', 'emoji', 404, 'STORY_NOT_FOUND'],
    ["'%20OR%20'1'%3D'1", 'SQL-looking', 404, 'STORY_NOT_FOUND'],
    ['%7B%22%24gt%22%3A%22%22%7D', 'NoSQL-looking', 404, 'STORY_NOT_FOUND'],
    ['*', 'a Redis glob', 404, 'STORY_NOT_FOUND'],
    ['a'.repeat(81), '81 characters', 400, 'VALIDATION_FAILED'],
    ['a'.repeat(300), '300 characters (over the router limit)', 400, 'BAD_REQUEST'],
    ['%E0%A4%A', 'broken percent-encoding', 400, 'BAD_REQUEST'],
  ];
  for (const [id, what, status, code] of storyIds) {
    add(`GET /api/stories/:id · id ${what}`, () => ({ method: 'GET', path: `/api/stories/${id}` }), status, code);
    add(
      `GET /api/stories/:id/updates · id ${what}`,
      () => ({ method: 'GET', path: `/api/stories/${id}/updates` }),
      status,
      code,
    );
    add(
      `PATCH /api/stories/:id · id ${what}`,
      (c) => jsonReq('PATCH', `/api/stories/${id}`, JSON.stringify({ status: 'ended' }), c.admin),
      status,
      code,
    );
    add(
      `POST /api/stories/:id/updates · id ${what}`,
      (c) => jsonReq('POST', `/api/stories/${id}/updates`, JSON.stringify({ body: 'x' }), c.admin),
      status,
      code,
    );
    add(`GET /stories/:slug · slug ${what}`, () => ({ method: 'GET', path: `/stories/${id}` }), status, code);
  }
  const updateIds: [string, string, number, string][] = [
    ['..%2F' + PLAIN, 'encoded dot-dot-slash', 400, 'VALIDATION_FAILED'],
    ['%00', 'NUL', 400, 'VALIDATION_FAILED'],
    ['%E2%80%AE' + PLAIN, 'RTL override', 400, 'VALIDATION_FAILED'],
    [PLAIN + '%E2%80%8B', 'zero-width space', 400, 'VALIDATION_FAILED'],
    ['%F0%9F%94%A5', 'emoji', 400, 'VALIDATION_FAILED'],
    ["x'%20OR%201%3D1--", 'SQL-looking', 400, 'VALIDATION_FAILED'],
    ['u'.repeat(65), '65 characters', 400, 'VALIDATION_FAILED'],
    ['no-such-update', 'unknown', 404, 'UPDATE_NOT_FOUND'],
    [GONE, 'deleted', 410, 'UPDATE_DELETED'],
    ['%E0%A4%A', 'broken percent-encoding', 400, 'BAD_REQUEST'],
  ];
  for (const [id, what, status, code] of updateIds) {
    add(
      `GET /api/stories/:id/updates/:updateId · updateId ${what}`,
      (c) => ({ method: 'GET', path: `${storyPath(c)}/updates/${id}` }),
      status,
      code,
    );
    add(
      `PATCH /api/stories/:id/updates/:updateId · updateId ${what}`,
      (c) => jsonReq('PATCH', `${storyPath(c)}/updates/${id}`, JSON.stringify({ body: 'x' }), c.admin),
      status,
      code,
    );
    add(
      `DELETE /api/stories/:id/updates/:updateId · updateId ${what}`,
      (c) => ({ method: 'DELETE', path: `${storyPath(c)}/updates/${id}`, headers: bearer(c.admin) }),
      status,
      code,
    );
  }
  const listQueries: [string, string][] = [
    ['limit=0', 'limit 0'],
    ['limit=101', 'limit over 100'],
    ['limit=-1', 'negative limit'],
    ['limit=abc', 'limit not a number'],
    ['limit=1.5', 'fractional limit'],
    ['limit=', 'empty limit'],
    ['limit=1&limit=2', 'limit twice'],
    ['before=abc', 'cursor not digits'],
    ['before=-1', 'negative cursor'],
    ['before=1e5', 'cursor in exponent form'],
    ['before=12345678901234567', 'cursor of 17 digits'],
    ['before=%00', 'NUL cursor'],
    ['before=..%2F..%2F', 'path cursor'],
    ["before='%20OR%201%3D1--", 'SQL-looking cursor'],
    ['before=%7B%22%24gt%22%3A%22%22%7D', 'NoSQL-looking cursor'],
    ['before[$gt]=', 'NoSQL operator key'],
    ['unknown=1', 'unknown parameter'],
    ['__proto__[polluted]=1', '__proto__ parameter'],
    ['constructor[prototype][polluted]=1', 'constructor.prototype parameter'],
  ];
  for (const [query, what] of listQueries) {
    add(
      `GET /api/stories · ${what}`,
      () => ({ method: 'GET', path: `/api/stories?${query}` }),
      400,
      'VALIDATION_FAILED',
    );
    add(
      `GET /api/stories/:id/updates · ${what}`,
      (c) => ({ method: 'GET', path: `${storyPath(c)}/updates?${query}` }),
      400,
      'VALIDATION_FAILED',
    );
    if (!query.startsWith('limit')) {
      add(
        `GET /stories/:slug · ${what}`,
        (c) => ({ method: 'GET', path: `/stories/${c.slug}?${query}` }),
        400,
        'VALIDATION_FAILED',
      );
      add(
        `GET /stories/:slug/embed · ${what}`,
        (c) => ({ method: 'GET', path: `/stories/${c.slug}/embed?${query}` }),
        400,
        'VALIDATION_FAILED',
      );
    }
  }
  const eventQueries: [string, string][] = [
    ['after=-1', 'negative after'],
    ['after=abc', 'after not a number'],
    ['after=1.5', 'fractional after'],
    ['after=%00', 'NUL after'],
    ['after=1&after=2', 'after twice'],
    ['limit=0', 'limit 0'],
    ['limit=1001', 'limit over 1000'],
    ['limit=abc', 'limit not a number'],
    ['after[$gt]=0', 'NoSQL operator key'],
    ['unknown=1', 'unknown parameter'],
    ['__proto__[polluted]=1', '__proto__ parameter'],
  ];
  for (const [query, what] of eventQueries) {
    add(
      `GET /api/stories/:id/events · ${what}`,
      (c) => ({ method: 'GET', path: `${storyPath(c)}/events?${query}` }),
      400,
      'VALIDATION_FAILED',
    );
    add(
      `GET /api/stories/:id/events (SSE) · ${what}`,
      (c) => ({ method: 'GET', path: `${storyPath(c)}/events?${query}`, headers: { accept: 'text/event-stream' } }),
      400,
      'VALIDATION_FAILED',
    );
  }
  const lastEventIds: [string, string][] = [
    ['abc', 'letters'],
    ['-1', 'negative'],
    ['1.5', 'fractional'],
    ['12345678901234567', '17 digits'],
    ['1,2', 'a list'],
    ['0x10', 'hexadecimal'],
    ['1e3', 'exponent form'],
    ["1' OR '1'='1", 'SQL-looking'],
    ['\u00e9', 'Latin-1'],
  ];
  for (const [value, what] of lastEventIds) {
    add(
      `GET /api/stories/:id/events (SSE) · Last-Event-ID ${what}`,
      (c) => ({
        method: 'GET',
        path: `${storyPath(c)}/events`,
        headers: { accept: 'text/event-stream', 'last-event-id': value },
      }),
      400,
      'VALIDATION_FAILED',
    );
  }
  add(
    'GET /api/stories/:id/events (SSE) · unknown story with a valid Last-Event-ID',
    () => ({
      method: 'GET',
      path: '/api/stories/no-such-story/events',
      headers: { accept: 'text/event-stream', 'last-event-id': '1' },
    }),
    404,
    'STORY_NOT_FOUND',
  );
  add(
    'GET /stories/:slug · unknown slug with a valid cursor',
    () => ({ method: 'GET', path: '/stories/no-such-story?before=5' }),
    404,
    'STORY_NOT_FOUND',
  );
  return cases;
}

function idempotencyKeyCases(): Case[] {
  const routes: [string, (c: Ctx, key: string) => Req][] = [
    [
      'POST /api/stories/:id/updates',
      (c, key) =>
        jsonReq('POST', `${storyPath(c)}/updates`, JSON.stringify({ body: 'Keyed' }), c.admin, {
          'idempotency-key': key,
        }),
    ],
    [
      'PATCH /api/stories/:id/updates/:updateId',
      (c, key) =>
        jsonReq('PATCH', updatePath(c), JSON.stringify({ body: 'Keyed' }), c.admin, { 'idempotency-key': key }),
    ],
    [
      'PATCH /api/stories/:id',
      (c, key) =>
        jsonReq('PATCH', storyPath(c), JSON.stringify({ summary: 'Keyed' }), c.admin, { 'idempotency-key': key }),
    ],
    [
      'DELETE /api/stories/:id/updates/:updateId',
      (c, key) => ({ method: 'DELETE', path: updatePath(c), headers: { ...bearer(c.admin), 'idempotency-key': key } }),
    ],
  ];
  const keys: [string, string][] = [
    ['empty', ''],
    ['with a space', 'retry 1'],
    ['129 characters', 'k'.repeat(129)],
    ['Latin-1', 'caf\u00e9'],
    ['with a tab', 'a\tb'],
  ];
  return routes.flatMap(([label, build]) =>
    keys.map(([what, key]): Case => ({
      name: `${label} · Idempotency-Key ${what}`,
      req: (c) => build(c, key),
      status: 400,
      code: 'VALIDATION_FAILED',
    })),
  );
}

const SSRF_ENDPOINTS: [string, string][] = [
  ['loopback', 'https://127.0.0.1/push/x'],
  ['loopback with a port', 'https://127.0.0.1:8443/push/x'],
  ['loopback, short form', 'https://127.1/push/x'],
  ['loopback as one decimal number', 'https://2130706433/push/x'],
  ['loopback in hexadecimal', 'https://0x7f000001/push/x'],
  ['loopback in octal', 'https://0177.0.0.1/push/x'],
  ['IPv6 loopback', 'https://[::1]/push/x'],
  ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/push/x'],
  ['IPv4-mapped metadata address', 'https://[::ffff:a9fe:a9fe]/latest/meta-data'],
  ['cloud metadata', 'https://169.254.169.254/latest/meta-data'],
  ['private 10/8', 'https://10.0.0.1/push/x'],
  ['private 172.16/12', 'https://172.16.0.1/push/x'],
  ['private 192.168/16', 'https://192.168.0.1/push/x'],
  ['carrier-grade NAT', 'https://100.64.0.1/push/x'],
  ['unspecified', 'https://0.0.0.0/push/x'],
  ['IPv6 unspecified', 'https://[::]/push/x'],
  ['multicast', 'https://224.0.0.1/push/x'],
  ['broadcast', 'https://255.255.255.255/push/x'],
  ['IPv6 unique-local', 'https://[fd00::1]/push/x'],
  ['IPv6 link-local', 'https://[fe80::1]/push/x'],
  ['localhost', 'https://localhost/push/x'],
  ['LOCALHOST with a port', 'https://LOCALHOST:443/push/x'],
  ['plain http', 'http://example.com/push/x'],
  ['plain http to a public address', 'http://8.8.8.8/push/x'],
  ['user and password', 'https://user:pass@8.8.8.8/push/x'],
  ['user only', 'https://user@8.8.8.8/push/x'],
  ['password only', 'https://:secret@8.8.8.8/push/x'],
  ['public address as the user part', 'https://8.8.8.8@127.0.0.1/push/x'],
  ['fragment hiding the host', 'https://127.0.0.1#@8.8.8.8/push/x'],
  ['file:', 'file:///etc/passwd'],
  ['gopher: to Redis', 'gopher://127.0.0.1:6379/_FLUSHALL'],
  ['javascript:', 'javascript:alert(1)//'],
  ['data:', 'data:text/plain,hello'],
  ['ftp:', 'ftp://8.8.8.8/push'],
  ['wss:', 'wss://8.8.8.8/push'],
  ['not a URL', 'not a url at all'],
  ['protocol-relative', '//8.8.8.8/push/x'],
];

function pushCases(): Case[] {
  const cases: Case[] = [];
  const subscribe = (c: Ctx, subscription: Record<string, unknown>, topics: unknown): Req =>
    jsonReq('POST', '/api/push/subscriptions', JSON.stringify({ subscription, topics }), null);
  for (const [what, endpoint] of SSRF_ENDPOINTS) {
    cases.push({
      name: `POST /api/push/subscriptions · endpoint ${what} (${endpoint})`,
      req: (c) => subscribe(c, { endpoint, expirationTime: null, keys: c.keys }, ['breaking']),
      status: 400,
      code: 'PUSH_ENDPOINT_REFUSED',
    });
  }
  const point = (first: number, fill: (i: number) => number, length = 65) =>
    Buffer.from(Array.from({ length }, (_, i) => (i === 0 ? first : fill(i)))).toString('base64url');
  const keyCases: [string, (c: Ctx) => { p256dh: string; auth: string }][] = [
    ['p256dh of 64 bytes', (c) => ({ ...c.keys, p256dh: point(4, (i) => i, 64) })],
    ['p256dh of 66 bytes', (c) => ({ ...c.keys, p256dh: point(4, (i) => i, 66) })],
    ['p256dh in compressed form', (c) => ({ ...c.keys, p256dh: point(2, (i) => i, 33) })],
    [
      'p256dh with a wrong prefix byte',
      (c) => {
        const bytes = Buffer.from(c.keys.p256dh, 'base64url');
        bytes[0] = 0x05;
        return { ...c.keys, p256dh: bytes.toString('base64url') };
      },
    ],
    ['p256dh not on the curve', (c) => ({ ...c.keys, p256dh: point(4, () => 1) })],
    ['p256dh the all-zero point', (c) => ({ ...c.keys, p256dh: point(4, () => 0) })],
    [
      'p256dh one bit off',
      (c) => ({ ...c.keys, p256dh: `${c.keys.p256dh.slice(0, -2)}${c.keys.p256dh.endsWith('AA') ? 'AQ' : 'AA'}` }),
    ],
    ['p256dh in standard base64', (c) => ({ ...c.keys, p256dh: `${c.keys.p256dh.slice(0, -2)}+/` })],
    ['p256dh with spaces', (c) => ({ ...c.keys, p256dh: `${c.keys.p256dh.slice(0, 40)} ${c.keys.p256dh.slice(41)}` })],
    ['p256dh of padding only', (c) => ({ ...c.keys, p256dh: '='.repeat(87) })],
    ['p256dh of 101 characters', (c) => ({ ...c.keys, p256dh: `${c.keys.p256dh}${'A'.repeat(14)}` })],
    ['auth of 15 bytes', (c) => ({ ...c.keys, auth: randomBytes(15).toString('base64url').padEnd(20, 'A') })],
    ['auth of 17 bytes', (c) => ({ ...c.keys, auth: randomBytes(17).toString('base64url') })],
    ['auth of 12 characters', (c) => ({ ...c.keys, auth: 'A'.repeat(12) })],
    ['auth of 33 characters', (c) => ({ ...c.keys, auth: 'A'.repeat(33) })],
    ['auth not base64url', (c) => ({ ...c.keys, auth: '!'.repeat(22) })],
    ['auth and p256dh swapped', (c) => ({ p256dh: c.keys.auth, auth: c.keys.p256dh })],
  ];
  for (const [what, keys] of keyCases) {
    cases.push({
      name: `POST /api/push/subscriptions · ${what}`,
      req: (c) => subscribe(c, { endpoint: PUBLIC_ENDPOINT, expirationTime: null, keys: keys(c) }, ['breaking']),
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  }
  const topicCases: [string, (c: Ctx) => unknown, number, string][] = [
    ['no topics', () => [], 400, 'VALIDATION_FAILED'],
    ['21 topics', () => Array.from({ length: 21 }, (_, i) => `story:s${i}`), 400, 'VALIDATION_FAILED'],
    ['1,000 topics', () => Array.from({ length: 1000 }, (_, i) => `story:s${i}`), 400, 'VALIDATION_FAILED'],
    ['a duplicate topic', () => ['breaking', 'breaking'], 400, 'VALIDATION_FAILED'],
    ['a duplicate story topic', (c) => [`story:${c.storyId}`, `story:${c.storyId}`], 400, 'VALIDATION_FAILED'],
    ['an unknown kind of topic', () => ['sports'], 400, 'VALIDATION_FAILED'],
    ['BREAKING in capitals', () => ['BREAKING'], 400, 'VALIDATION_FAILED'],
    ['"story:" without an id', () => ['story:'], 400, 'VALIDATION_FAILED'],
    ['a story topic with a path', () => ['story:../x'], 400, 'VALIDATION_FAILED'],
    ['a story topic with a suffix', (c) => [`story:${c.storyId}:extra`], 400, 'VALIDATION_FAILED'],
    ['a story id of 65 characters', () => [`story:${'s'.repeat(65)}`], 400, 'VALIDATION_FAILED'],
    ['a topic that is an object', () => [{ $ne: null }], 400, 'VALIDATION_FAILED'],
    ['topics as a string', () => 'breaking', 400, 'VALIDATION_FAILED'],
    ['a story that does not exist', () => ['story:no-such-story'], 404, 'STORY_NOT_FOUND'],
    ['breaking plus a story that does not exist', () => ['breaking', 'story:no-such-story'], 404, 'STORY_NOT_FOUND'],
    ['the slug instead of the story id', (c) => [`story:${c.slug}`], 404, 'STORY_NOT_FOUND'],
  ];
  for (const [what, topics, status, code] of topicCases) {
    cases.push({
      name: `POST /api/push/subscriptions · topics: ${what}`,
      req: (c) => subscribe(c, { endpoint: PUBLIC_ENDPOINT, expirationTime: null, keys: c.keys }, topics(c)),
      status,
      code,
    });
  }
  return cases;
}

function conflictCases(): Case[] {
  const list: [string, (c: Ctx) => Req, number, string][] = [
    [
      'POST /api/stories · a slug in use',
      (c) => jsonReq('POST', '/api/stories', JSON.stringify({ title: 'Copycat', slug: SLUG }), c.admin),
      409,
      'SLUG_TAKEN',
    ],
    [
      'POST /api/stories/:id/updates · to an ended story',
      (c) => jsonReq('POST', `/api/stories/${c.endedId}/updates`, JSON.stringify({ body: 'Too late' }), c.admin),
      409,
      'STORY_ENDED',
    ],
    [
      'POST /api/stories/:id/updates · to an ended story, by slug',
      (c) => jsonReq('POST', `/api/stories/${ENDED_SLUG}/updates`, JSON.stringify({ body: 'Too late' }), c.admin),
      409,
      'STORY_ENDED',
    ],
    [
      'POST /api/stories/:id/updates · a fourth pin',
      (c) => jsonReq('POST', `${storyPath(c)}/updates`, JSON.stringify({ body: 'Pin me too', pinned: true }), c.admin),
      409,
      'PINNED_LIMIT_REACHED',
    ],
    [
      'PATCH /api/stories/:id/updates/:updateId · a fourth pin',
      (c) => jsonReq('PATCH', updatePath(c), JSON.stringify({ pinned: true }), c.admin),
      409,
      'PINNED_LIMIT_REACHED',
    ],
    [
      'PATCH /api/stories/:id/updates/:updateId · a deleted update',
      (c) => jsonReq('PATCH', updatePath(c, GONE), JSON.stringify({ body: 'Resurrect' }), c.admin),
      410,
      'UPDATE_DELETED',
    ],
    [
      'DELETE /api/stories/:id/updates/:updateId · a deleted update',
      (c) => ({ method: 'DELETE', path: updatePath(c, GONE), headers: bearer(c.admin) }),
      410,
      'UPDATE_DELETED',
    ],
    [
      'PATCH /api/stories/:id/updates/:updateId · an update of another story',
      (c) =>
        jsonReq(
          'PATCH',
          `/api/stories/${c.endedId}/updates/${PLAIN}`,
          JSON.stringify({ body: 'Cross-story' }),
          c.admin,
        ),
      404,
      'UPDATE_NOT_FOUND',
    ],
    [
      'POST /api/editors · a name in use',
      (c) => jsonReq('POST', '/api/editors', JSON.stringify({ name: 'reporter', role: 'admin' }), c.admin),
      409,
      'EDITOR_EXISTS',
    ],
    [
      'POST /api/editors · the name of a revoked editor',
      (c) => jsonReq('POST', '/api/editors', JSON.stringify({ name: 'departed' }), c.admin),
      409,
      'EDITOR_EXISTS',
    ],
    [
      'DELETE /api/editors/:name · an unknown editor',
      (c) => ({ method: 'DELETE', path: '/api/editors/nobody', headers: bearer(c.admin) }),
      404,
      'EDITOR_NOT_FOUND',
    ],
    [
      'DELETE /api/editors/:name · an editor revoked already',
      (c) => ({ method: 'DELETE', path: '/api/editors/departed', headers: bearer(c.admin) }),
      404,
      'EDITOR_NOT_FOUND',
    ],
    [
      'DELETE /api/editors/:name · a name with a slash',
      (c) => ({ method: 'DELETE', path: '/api/editors/..%2Ftester', headers: bearer(c.admin) }),
      400,
      'VALIDATION_FAILED',
    ],
    [
      'GET /api/stories/:id/updates/:updateId/delivery · unknown story',
      (c) => ({
        method: 'GET',
        path: `/api/stories/no-such-story/updates/${PLAIN}/delivery`,
        headers: bearer(c.admin),
      }),
      404,
      'STORY_NOT_FOUND',
    ],
    [
      'POST /api/nothing-here · unknown route',
      (c) => jsonReq('POST', '/api/nothing-here', '{}', c.admin),
      404,
      'NOT_FOUND',
    ],
  ];
  return list.map(([name, req, status, code]) => ({ name, req, status, code }));
}

const CASES: Case[] = [
  ...badJsonCases(),
  ...tooLargeCases(),
  ...deepNestingCases(),
  ...prototypeCases(),
  ...unicodeCases(),
  ...wrongTypeCases(),
  ...unknownFieldCases(),
  ...contentTypeCases(),
  ...authCases(),
  ...forbiddenCases(),
  ...pathAndQueryCases(),
  ...idempotencyKeyCases(),
  ...pushCases(),
  ...conflictCases(),
].map((testCase, index) => ({ ...testCase, name: `#${index + 1} ${testCase.name}` }));

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

describe('hostile HTTP requests (two API nodes)', () => {
  it('is a table of at least 200 distinct cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(200);
    expect(new Set(CASES.map((c) => c.name.replace(/^#\d+ /, ''))).size).toBe(CASES.length);
  });

  // Rows as [title, case]: '%s' prints the title as is (a `$name` title would be quoted and cut short).
  const rows = CASES.map(
    (testCase, index) => [`${testCase.name} → ${testCase.status} ${testCase.code}`, testCase, index % 2] as const,
  );
  it.each(rows)('%s', async (_title, { req, status, code }, node) => {
    const answer = await send(stack.urls[node]!, req(ctx));
    const context = `${answer.status} ${answer.contentType} ${answer.text.slice(0, 300)}`;
    expect(answer.status, context).toBeGreaterThanOrEqual(400);
    expect(answer.status, context).toBeLessThan(500);
    expect(answer.contentType, context).toMatch(/^application\/json/);
    const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
    expect(Object.keys(body), context).toEqual(['error']);
    expect(body.error?.code, context).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(typeof body.error?.message === 'string' && body.error.message.trim().length > 0, context).toBe(true);
    expect({ status: answer.status, code: body.error?.code }, context).toEqual({ status, code });
  });

  it('changed nothing: the same Redis keys and values, no new job, nothing polluted, both nodes serving', async () => {
    const after = await snapshotRedis();
    expect(diffSnapshots(redisBefore, after)).toEqual({ added: [], removed: [], changed: [] });
    expect(after.size).toBe(redisBefore.size);
    expect(await snapshotQueues()).toEqual(queueBefore);
    // The API nodes run in this process: a poisoned prototype would show here.
    const probe: Record<string, unknown> = {};
    expect(probe.polluted).toBeUndefined();
    expect(probe.role).toBeUndefined();
    for (const url of stack.urls) {
      expect((await send(url, { method: 'GET', path: '/healthz' })).status).toBe(200);
      const story = await send(url, { method: 'GET', path: `/api/stories/${ctx.storyId}` });
      expect(story.status).toBe(200);
      expect(JSON.parse(story.text)).toMatchObject({
        id: ctx.storyId,
        slug: SLUG,
        title: 'Hostile input',
        status: 'live',
        ...storyBefore,
      });
      const page = await send(url, { method: 'GET', path: `/stories/${SLUG}` });
      expect(page.status).toBe(200);
      expect(page.text).toContain(`id="update-${PLAIN}"`);
      const updates = JSON.parse(
        (await send(url, { method: 'GET', path: `/api/stories/${ctx.storyId}/updates` })).text,
      ) as { updates: { id: string }[] };
      expect(updates.updates.map((u) => u.id).sort()).toEqual([...PINNED, PLAIN].sort());
    }
  });

  it('accepts each request once its hostile part is taken out', async () => {
    for (const route of BODY_ROUTES) {
      const req = route.valid
        ? routeReq(route, ctx, JSON.stringify(validBody(route, ctx)))
        : { method: route.method, path: route.path(ctx), headers: bearer(ctx.admin) };
      const answer = await send(stack.urls[1]!, req);
      expect(answer.status, `${route.label}: ${answer.text.slice(0, 300)}`).toBe(route.accepted);
    }
    const asEditor = await send(
      stack.urls[0]!,
      jsonReq('POST', `${storyPath(ctx)}/updates`, JSON.stringify({ body: 'By the editor' }), ctx.editor),
    );
    expect(asEditor.status).toBe(202);
  });
});

// ---------------------------------------------------------------------------------------------
// Socket.IO
// ---------------------------------------------------------------------------------------------

interface RawSocketIo {
  ws: WebSocket;
  /** Resolves with the first text frame matching, or 'closed' when the connection ends first. */
  next(match: (frame: string) => boolean, timeoutMs?: number): Promise<string | 'closed'>;
  isOpen(): boolean;
  close(): void;
}

/** A websocket speaking Engine.IO 4 by hand, connected to the default Socket.IO namespace. */
async function rawSocketIo(base: string): Promise<RawSocketIo> {
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
async function rawAck(socket: RawSocketIo, id: number, timeoutMs = 5_000): Promise<unknown | 'closed'> {
  const frame = await socket.next((f) => f.startsWith(`43${id}[`), timeoutMs);
  if (frame === 'closed') return 'closed';
  return (JSON.parse(frame.slice(`43${id}`.length)) as unknown[])[0];
}

/** After garbage: the connection is either gone, or still answers a subscribe as normal. */
async function probe(socket: RawSocketIo, storyId: string): Promise<'closed' | 'answering'> {
  if (!socket.isOpen()) return 'closed';
  socket.ws.send(`42999["subscribe",${JSON.stringify({ storyId })}]`);
  const ack = await rawAck(socket, 999);
  if (ack === 'closed') return 'closed';
  expect(ack).toMatchObject({ ok: true });
  return 'answering';
}

function untypedReader(url: string): Socket {
  return connectSocket(url, { transports: ['websocket'], reconnection: false, forceNew: true });
}

async function connected(socket: Socket): Promise<Socket> {
  if (!socket.connected)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  return socket;
}

interface Sentinel {
  socket: Socket;
  events: StoryEvent[];
}

describe('hostile Socket.IO traffic', () => {
  const sentinels: Sentinel[] = [];
  const extra: Socket[] = [];

  beforeAll(async () => {
    for (const url of stack.urls) {
      const socket = await connected(untypedReader(url));
      const sentinel: Sentinel = { socket, events: [] };
      socket.on('story-event', (event: StoryEvent) => sentinel.events.push(event));
      expect(await socket.emitWithAck('subscribe', { storyId: ctx.storyId })).toMatchObject({ ok: true });
      sentinels.push(sentinel);
    }
  });

  afterAll(() => {
    for (const socket of [...sentinels.map((s) => s.socket), ...extra]) socket.disconnect();
  });

  async function expectLiveEventEverywhere(readers: Sentinel[], label: string): Promise<void> {
    const id = `live-${label}-${randomBytes(3).toString('hex')}`;
    const posted = await stack.request('POST', `/api/stories/${ctx.storyId}/updates`, {
      body: { id, body: `Live after ${label}` },
    });
    expect(posted.status).toBe(202);
    for (const reader of readers) {
      expect(reader.socket.connected).toBe(true);
      await eventually(
        () => reader.events.some((e) => e.type === 'update.created' && e.update?.id === id),
        `${id} on every reader`,
        10_000,
      );
    }
  }

  const big = 'a'.repeat(20 * 1024);
  /** A text frame, a binary frame, or a text frame whose bytes are not UTF-8. */
  type Frame = string | { binary: Buffer } | { badText: Buffer };
  const sendFrame = (socket: RawSocketIo, frame: Frame) => {
    if (typeof frame === 'string') socket.ws.send(frame);
    else if ('binary' in frame) socket.ws.send(frame.binary, { binary: true });
    else socket.ws.send(frame.badText, { binary: false });
  };
  /** Frames that are not Socket.IO at all, or break its framing: ignored, or that connection is closed. */
  const GARBAGE: [string, (storyId: string) => Frame[]][] = [
    ['an unterminated event array', () => ['42["subscribe"']],
    ['an event that is an object', () => ['42{}']],
    ['an event that is a number', () => ['4242']],
    ['a bare "4" (message without a packet)', () => ['4']],
    ['an unknown Engine.IO packet type', () => ['99']],
    ['an empty frame', () => ['']],
    ['an unknown Socket.IO packet type', () => ['47["subscribe",{}]']],
    ['binary junk', () => [{ binary: Buffer.from([0xff, 0x00, 0xde, 0xad, 0xbe, 0xef]) }]],
    ['a text frame of invalid UTF-8', () => [{ badText: Buffer.from([0x34, 0x32, 0xc3, 0x28, 0xff]) }]],
    [
      'a binary placeholder followed by text',
      (id) => [`451-["subscribe",{"_placeholder":true,"num":0},"${id}"]`, '42["x"]'],
    ],
    [
      'a binary placeholder pointing past its attachments',
      () => ['451-["subscribe",{"_placeholder":true,"num":7}]', { binary: Buffer.from([1, 2, 3]) }],
    ],
    ['an absurd attachment count', () => ['4599999999999-["subscribe",{"_placeholder":true,"num":0}]']],
    ['a namespace that does not exist', () => ['40/admin,', '42/admin,["subscribe",{}]']],
    ['a frame over maxHttpBufferSize (20 KB)', (id) => [`42["subscribe",{"storyId":"${id}","epoch":"${big}"}]`]],
    ['a 1 MB frame', () => [`42["${'x'.repeat(1024 * 1024)}"]`]],
    // Socket.IO reserves these names; a client that sends them breaks the protocol.
    ['an event named disconnect', () => ['42["disconnect","forged"]']],
    ['an event named disconnecting', () => ['42["disconnecting"]']],
    ['an event named connect', () => ['42["connect",{}]']],
    ['an event named newListener', () => ['42["newListener","subscribe"]']],
  ];

  it.each(GARBAGE)('garbage: %s → ignored, or only that connection is closed', async (_what, frames) => {
    const socket = await rawSocketIo(stack.urls[0]!);
    for (const frame of frames(ctx.storyId)) sendFrame(socket, frame);
    expect(['closed', 'answering']).toContain(await probe(socket, ctx.storyId));
    socket.close();
    for (const sentinel of sentinels) expect(sentinel.socket.connected).toBe(true);
    const fresh = await rawSocketIo(stack.urls[1]!);
    expect(await probe(fresh, ctx.storyId)).toBe('answering');
    fresh.close();
  });

  /** Well-formed packets with hostile content: the connection stays and keeps working. */
  const ODD_PACKETS: [string, (storyId: string) => string][] = [
    ['subscribe with a NoSQL operator as the id (no ack)', () => '42["subscribe",{"storyId":{"$gt":""}}]'],
    ['an event named __proto__', () => '42["__proto__",{"polluted":true}]'],
    ['an event named constructor', () => '42["constructor",{"prototype":{"polluted":true}}]'],
    ['an unknown event', () => '42["drop-tables",{}]'],
    ['an unknown event asking for an ack', () => '4277["drop-tables",{}]'],
    ['an event named error', () => '42["error",{"message":"forged"}]'],
    ['an ack nobody asked for', () => '4312345["forged"]'],
    ['subscribe without a payload', () => '42["subscribe"]'],
    ['unsubscribe from a story never joined', () => '42["unsubscribe",{"storyId":"never-joined"}]'],
    ['unsubscribe with an object id', () => '42["unsubscribe",{"storyId":{"$ne":null}}]'],
  ];

  it.each(ODD_PACKETS)('odd packet: %s → ignored, the connection keeps working', async (_what, frame) => {
    const socket = await rawSocketIo(stack.urls[1]!);
    socket.ws.send(frame(ctx.storyId));
    expect(await probe(socket, ctx.storyId)).toBe('answering');
    socket.close();
  });

  it('acknowledges invalid raw subscribe and unsubscribe messages with VALIDATION_FAILED, and survives a burst of 200', async () => {
    const socket = await rawSocketIo(stack.urls[0]!);
    const invalid = [
      '{"storyId":{"$gt":""}}',
      '{"storyId":""}',
      `{"storyId":"${'s'.repeat(65)}"}`,
      '{"storyId":"a\\u202eb"}',
      `{"storyId":"${ctx.storyId}","after":-1}`,
      `{"storyId":"${ctx.storyId}","after":1.5}`,
      `{"storyId":"${ctx.storyId}","after":"0"}`,
      `{"storyId":"${ctx.storyId}","epoch":5}`,
      `{"storyId":"${ctx.storyId}","epoch":"${'e'.repeat(65)}"}`,
      `{"storyId":"${ctx.storyId}","extra":true}`,
      `{"storyId":"${ctx.storyId}","__proto__":{"after":0}}`,
      'null',
      '"just-a-string"',
      `["${ctx.storyId}"]`,
      '{}',
      '12',
    ];
    for (const [index, payload] of invalid.entries()) {
      socket.ws.send(`42${index + 1}["subscribe",${payload}]`);
      expect(await rawAck(socket, index + 1), payload).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.any(String) },
      });
    }
    socket.ws.send('4250["unsubscribe",{"storyId":{"$ne":null}}]');
    expect(await rawAck(socket, 50)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    for (let i = 0; i < 200; i++) socket.ws.send(`42${1000 + i}["subscribe",{"storyId":{"$where":"sleep(1000)"}}]`);
    for (let i = 0; i < 200; i++)
      expect(await rawAck(socket, 1000 + i)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await probe(socket, ctx.storyId)).toBe('answering');
    socket.close();
  });

  it('acknowledges invalid subscribe messages from a Socket.IO client with VALIDATION_FAILED, an unknown story with STORY_NOT_FOUND', async () => {
    const reader = await connected(untypedReader(stack.urls[1]!));
    extra.push(reader);
    const invalid: unknown[] = [
      { storyId: { $gt: '' } },
      { storyId: '' },
      { storyId: 'x'.repeat(65) },
      { storyId: 'a\u202eb' },
      { storyId: 'a b' },
      { storyId: ctx.storyId, after: -1 },
      { storyId: ctx.storyId, after: '0' },
      { storyId: ctx.storyId, after: Number.NaN },
      { storyId: ctx.storyId, epoch: ['x'] },
      { storyId: ctx.storyId, extra: 1 },
      null,
      ctx.storyId,
      [ctx.storyId],
      {},
    ];
    for (const message of invalid) {
      expect(await reader.emitWithAck('subscribe', message), JSON.stringify(message)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.any(String) },
      });
    }
    expect(await reader.emitWithAck('unsubscribe', { storyId: 42 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await reader.emitWithAck('subscribe', { storyId: 'no-such-story', after: 0 })).toMatchObject({
      ok: false,
      error: { code: 'STORY_NOT_FOUND' },
    });
    // An unknown event with an ack callback gets no answer, and breaks nothing.
    await expect(reader.timeout(500).emitWithAck('drop-tables', { all: true })).rejects.toThrow();
    expect(reader.connected).toBe(true);
    expect(await reader.emitWithAck('subscribe', { storyId: ctx.storyId })).toMatchObject({ ok: true });
  });

  it('refuses a 21st story on one connection with BAD_REQUEST, and allows it once another is left', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 21; i++) {
      const created = await stack.request('POST', '/api/stories', { body: { title: `Subscription limit ${i}` } });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const reader = await connected(untypedReader(stack.urls[0]!));
    extra.push(reader);
    for (const id of ids.slice(0, 20))
      expect(await reader.emitWithAck('subscribe', { storyId: id })).toMatchObject({ ok: true });
    expect(await reader.emitWithAck('subscribe', { storyId: ids[20] })).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/20/) },
    });
    // Subscribing again to a story already joined is no new subscription.
    expect(await reader.emitWithAck('subscribe', { storyId: ids[0] })).toMatchObject({ ok: true });
    expect(await reader.emitWithAck('unsubscribe', { storyId: ids[0] })).toEqual({ ok: true });
    expect(await reader.emitWithAck('subscribe', { storyId: ids[20] })).toMatchObject({ ok: true });
    expect(await reader.emitWithAck('subscribe', { storyId: ids[0] })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('still delivers live events to the readers connected all along, and to new readers, on both nodes', async () => {
    await expectLiveEventEverywhere(sentinels, 'garbage');
    const fresh: Sentinel[] = [];
    for (const url of stack.urls) {
      const socket = await connected(untypedReader(url));
      extra.push(socket);
      const sentinel: Sentinel = { socket, events: [] };
      socket.on('story-event', (event: StoryEvent) => sentinel.events.push(event));
      expect(await socket.emitWithAck('subscribe', { storyId: ctx.storyId })).toMatchObject({ ok: true });
      fresh.push(sentinel);
    }
    await expectLiveEventEverywhere([...sentinels, ...fresh], 'new-readers');
    for (const url of stack.urls) expect((await send(url, { method: 'GET', path: '/healthz' })).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------
// Per-editor write rate limit
// ---------------------------------------------------------------------------------------------

describe('per-editor write rate limit (WRITE_RATE_PER_MINUTE=3)', () => {
  let limited: Stack;
  let queue: Queue;
  let path: string;
  beforeAll(async () => {
    limited = await startStack({
      apis: 2,
      workers: 0,
      env: { WRITE_RATE_PER_MINUTE: '3', PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000000' },
    });
    queue = new Queue(QUEUES.storyOps, {
      connection: bullmqConnectionOptions(limited.config.redisUrl),
      prefix: limited.config.queuePrefix,
    });
    // The admin's first write of the minute; each test writes as an editor of its own.
    const story = await limited.request('POST', '/api/stories', { body: { title: 'Rate limited' } });
    expect(story.status).toBe(201);
    path = `/api/stories/${story.body.id}/updates`;
  });
  afterAll(async () => {
    await queue?.close();
    await limited?.close();
  });

  /** A fresh editor (creating editors is not a rate-limited write), with its whole budget. */
  async function newEditor(name: string): Promise<string> {
    const editor = await limited.request('POST', '/api/editors', { body: { name } });
    expect(editor.status).toBe(201);
    return editor.body.token;
  }

  it('answers the 4th post of an editor within a minute with 429 RATE_LIMITED and a message, counted across both API nodes', async () => {
    const token = await newEditor('poster');
    const [a, b] = limited.urls as [string, string];
    const waitingBefore = (await queue.getJobCounts('waiting')).waiting ?? 0;
    const statuses: number[] = [];
    for (const [i, base] of [a, b, a].entries()) {
      statuses.push(
        (await limited.request('POST', path, { base, token, body: { id: `post-${i}`, body: `Write ${i}` } })).status,
      );
    }
    const fourth = await limited.request('POST', path, {
      base: b,
      token,
      body: { id: 'post-3', body: 'Fourth write' },
    });
    expect(statuses).toEqual([202, 202, 202]);
    expect(fourth.status).toBe(429);
    expect(fourth.body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringMatching(/retry in \d+/i) } });
    expect(
      (await limited.request('POST', path, { base: a, token, body: { id: 'post-4', body: 'Fifth write' } })).status,
    ).toBe(429);
    // The refused posts queued nothing; reads are not limited; another editor has a budget of its own.
    expect((await queue.getJobCounts('waiting')).waiting).toBe(waitingBefore + 3);
    expect((await limited.request('GET', path, { base: b })).status).toBe(200);
    expect((await limited.request('POST', path, { base: b, body: { body: 'The admin still writes' } })).status).toBe(
      202,
    );
  });

  it('counts every kind of write of an editor together (post, edit, delete), not each route on its own', async () => {
    const token = await newEditor('mixed-writer');
    const [a, b] = limited.urls as [string, string];
    expect(
      (await limited.request('POST', path, { base: a, token, body: { id: 'mixed', body: 'First write' } })).status,
    ).toBe(202);
    expect(
      (await limited.request('PATCH', `${path}/mixed`, { base: b, token, body: { body: 'Second write' } })).status,
    ).toBe(202);
    expect((await limited.request('PATCH', `${path}/mixed`, { base: a, token, body: { keyEvent: true } })).status).toBe(
      202,
    );
    const fourth = await limited.request('DELETE', `${path}/mixed`, { base: b, token });
    expect({ status: fourth.status, body: fourth.body }).toEqual({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: expect.any(String) } },
    });
  });

  it('counts one editor once however the Authorization header is spelled', async () => {
    const token = await newEditor('respeller');
    const [a, b] = limited.urls as [string, string];
    // All four spellings are accepted by the auth check as the same token.
    const spellings = [`Bearer ${token}`, `bearer ${token}`, `BEARER  ${token}`, `Bearer\t${token}`];
    const statuses: number[] = [];
    for (const [i, authorization] of spellings.entries()) {
      const answer = await limited.request('POST', path, {
        base: i % 2 ? b : a,
        token: null,
        headers: { authorization },
        body: { id: `spelled-${i}`, body: `Write ${i}` },
      });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});
