/** Cases about the request line and its headers: bad ids, queries, cursors and Last-Event-IDs. */
import { bearer, jsonReq, type Case, type Req } from './requests.ts';
import { storyPath } from './routes.ts';
import { GONE, PLAIN, type Ctx } from './setup.ts';

export function pathAndQueryCases(): Case[] {
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
