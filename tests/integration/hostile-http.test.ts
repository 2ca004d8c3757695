/**
 * Hostile and malformed HTTP requests, against two API nodes. Every case (tests/helpers/hostile/)
 * is one request that an attacker, a broken client or a fuzzer could send: broken JSON, bodies
 * over the limits, deep nesting, prototype-poisoning keys, unicode tricks, wrong types and unknown
 * fields, bad ids and cursors, wrong content types, bad or insufficient credentials, push
 * endpoints that point inside the network, malformed push keys and topics, conflicts. Each must be
 * refused with a 4xx and the `{error: {code, message}}` body (with the code the contract names),
 * never a 5xx; and all of them together must leave Redis exactly as it was (rate-limit counters
 * aside), queue no job, and leave both nodes serving. The same requests without their hostile part
 * are then accepted, which shows that each case was refused for what makes it hostile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES } from '../helpers/hostile/cases.ts';
import { bearer, jsonReq, send } from '../helpers/hostile/requests.ts';
import { BODY_ROUTES, routeReq, storyPath, validBody } from '../helpers/hostile/routes.ts';
import { PINNED, PLAIN, SLUG, startHostileStack, type Ctx, type HostileStack } from '../helpers/hostile/setup.ts';
import {
  diffSnapshots,
  snapshotQueues,
  snapshotRedis,
  takeBaseline,
  type Baseline,
} from '../helpers/hostile/snapshot.ts';
import type { Stack } from '../helpers/stack.ts';

let hostile: HostileStack;
let stack: Stack;
let ctx: Ctx;
let before: Baseline;

beforeAll(async () => {
  hostile = await startHostileStack();
  ({ stack, ctx } = hostile);
  before = await takeBaseline(hostile);
});

afterAll(async () => {
  await hostile?.close();
});

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
    const after = await snapshotRedis(stack);
    expect(diffSnapshots(before.redis, after)).toEqual({ added: [], removed: [], changed: [] });
    expect(after.size).toBe(before.redis.size);
    expect(await snapshotQueues(hostile)).toEqual(before.queues);
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
        ...before.story,
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
