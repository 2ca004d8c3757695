/** Cases about push subscriptions: endpoints inside the network, malformed keys, bad topics. */
import { randomBytes } from 'node:crypto';
import { jsonReq, type Case, type Req } from './requests.ts';
import { PUBLIC_ENDPOINT, type Ctx } from './setup.ts';

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

export function pushCases(): Case[] {
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
