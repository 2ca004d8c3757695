/**
 * Cases about who may do what: bad credentials, roles that do not allow the request, bad
 * idempotency keys, and conflicts with what the store holds.
 */
import { QUEUES } from '../../../src/queue/jobs.ts';
import { bearer, jsonReq, KIB, type Case, type Req } from './requests.ts';
import { storyPath, updatePath } from './routes.ts';
import { ENDED_SLUG, GONE, PLAIN, SLUG, type Ctx } from './setup.ts';

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
  ['GET /api/me', () => ({ method: 'GET', path: '/api/me' })],
  ['GET /api/stories/:id/alerts', (c) => ({ method: 'GET', path: `${storyPath(c)}/alerts` })],
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

export function authCases(): Case[] {
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

export function forbiddenCases(): Case[] {
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

export function idempotencyKeyCases(): Case[] {
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

export function conflictCases(): Case[] {
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
