/**
 * The stack the hostile-input tests attack: two API nodes and a worker, seeded with a live story
 * (three pins, a plain update, a deleted one), an ended story, an editor, a revoked editor and a
 * push subscription, so that a hostile request that got through would have something to change.
 */
import { Queue } from 'bullmq';
import { QUEUES } from '../../../src/queue/jobs.ts';
import { bullmqConnection } from '../../../src/redis/connections.ts';
import { createTestSubscriber } from '../push-subscriber.ts';
import { eventually, startStack, type Stack } from '../stack.ts';

/** Everything a case needs that exists only once the stack is seeded. */
export interface Ctx {
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

export const SLUG = 'hostile-input';
export const ENDED_SLUG = 'hostile-input-ended';
/** Three pinned updates (MAX_PINNED is 3), one plain one, one deleted one. */
export const PINNED = ['seed-pin-1', 'seed-pin-2', 'seed-pin-3'];
export const PLAIN = 'seed-plain';
export const GONE = 'seed-gone';
/** A push subscription that exists, so that a DELETE that got through would remove it. */
export const SEEDED_ENDPOINT = 'https://8.8.8.8/push/seeded-subscription';
/** A public address literal: passes the SSRF guard without any DNS lookup. */
export const PUBLIC_ENDPOINT = 'https://8.8.8.8/push/hostile';

export interface HostileStack {
  stack: Stack;
  ctx: Ctx;
  storyOps: Queue;
  pushFanout: Queue;
  close(): Promise<void>;
}

async function ok(response: Promise<{ status: number; body: unknown }>, status: number, what: string) {
  const { status: got, body } = await response;
  if (got !== status) throw new Error(`seeding: ${what} answered ${got} ${JSON.stringify(body)}`);
  return body as Record<string, unknown>;
}

/** The live story with its updates, and the ended story; returns their ids. */
async function seedStories(stack: Stack): Promise<{ storyId: string; endedId: string }> {
  const story = await ok(
    stack.request('POST', '/api/stories', { body: { title: 'Hostile input', slug: SLUG, summary: 'Seeded' } }),
    201,
    'story',
  );
  const storyId = String(story.id);
  const updates = `/api/stories/${storyId}/updates`;
  for (const id of PINNED)
    await ok(stack.request('POST', updates, { body: { id, body: `Pinned ${id}`, pinned: true } }), 202, id);
  await ok(
    stack.request('POST', updates, { body: { id: PLAIN, title: 'Plain', body: 'A **plain** update', keyEvent: true } }),
    202,
    PLAIN,
  );
  await ok(stack.request('POST', updates, { body: { id: GONE, body: 'Soon deleted' } }), 202, GONE);
  await ok(stack.request('DELETE', `${updates}/${GONE}`), 202, `delete ${GONE}`);
  const ended = await ok(
    stack.request('POST', '/api/stories', { body: { title: 'Hostile input, ended', slug: ENDED_SLUG } }),
    201,
    'ended story',
  );
  await ok(stack.request('PATCH', `/api/stories/${String(ended.id)}`, { body: { status: 'ended' } }), 202, 'end story');
  return { storyId, endedId: String(ended.id) };
}

/** An editor who keeps its token, and one whose token is revoked. */
async function seedEditors(stack: Stack): Promise<{ editor: string; revoked: string }> {
  const editor = await ok(stack.request('POST', '/api/editors', { body: { name: 'reporter' } }), 201, 'editor');
  const departed = await ok(
    stack.request('POST', '/api/editors', { body: { name: 'departed' } }),
    201,
    'departed editor',
  );
  await ok(stack.request('DELETE', '/api/editors/departed'), 204, 'revoke');
  return { editor: String(editor.token), revoked: String(departed.token) };
}

async function seedPushSubscription(stack: Stack, storyId: string): Promise<void> {
  await ok(
    stack.request('POST', '/api/push/subscriptions', {
      token: null,
      body: { subscription: createTestSubscriber(SEEDED_ENDPOINT).subscription, topics: [`story:${storyId}`] },
    }),
    201,
    'push subscription',
  );
}

/** Every seeded op applied: 3 pins, plain, gone and its delete (seq 6); the ended story's patch (seq 1). */
async function seedApplied(stack: Stack, storyOps: Queue, ctx: Ctx): Promise<void> {
  await eventually(async () => {
    const [a, b] = await Promise.all([
      stack.request('GET', `/api/stories/${ctx.storyId}`),
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
}

/** Starts the stack, seeds it and waits until the worker has applied every seeded op. */
export async function startHostileStack(): Promise<HostileStack> {
  const stack = await startStack({
    apis: 2,
    workers: 1,
    env: { WRITE_RATE_PER_MINUTE: '1000000', PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000000' },
  });
  const connection = bullmqConnection(stack.config.redis.topology, 'worker').connection;
  const storyOps = new Queue(QUEUES.storyOps, { connection, prefix: stack.config.queuePrefix });
  const pushFanout = new Queue(QUEUES.pushFanout, { connection, prefix: stack.config.queuePrefix });
  const close = async () => {
    await storyOps.close();
    await pushFanout.close();
    await stack.close();
  };
  try {
    const { storyId, endedId } = await seedStories(stack);
    const { editor, revoked } = await seedEditors(stack);
    await seedPushSubscription(stack, storyId);
    const keys = createTestSubscriber(PUBLIC_ENDPOINT).keys;
    const ctx: Ctx = { storyId, slug: SLUG, endedId, admin: stack.token, editor, revoked, keys };
    await seedApplied(stack, storyOps, ctx);
    return { stack, ctx, storyOps, pushFanout, close };
  } catch (error) {
    await close();
    throw error;
  }
}
