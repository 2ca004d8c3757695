/**
 * The worker's side of scheduled posts, on real Redis and BullMQ: an alert goes out at the time,
 * a cancel racing the fire has exactly one winner, and a duplicated fire publishes once.
 */
import { UnrecoverableError } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduledPublishJob } from '../../src/queue/jobs.ts';
import { createKeys } from '../../src/store/keys.ts';
import { createScheduledStore } from '../../src/store/scheduled-store.ts';
import { createStoryStore } from '../../src/store/story-store.ts';
import { toUpdateOp } from '../../workers/publish.worker.ts';
import { createScheduledPublishProcessor } from '../../workers/scheduled-publish.ts';
import { startPushService, type PushService } from '../helpers/push-service.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let push: PushService;

beforeAll(async () => {
  push = await startPushService();
  stack = await startStack({
    env: { PUSH_ENDPOINT_ALLOWLIST: push.origin, PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000' },
  });
});
afterAll(async () => {
  await stack.close();
  await push.close();
});

function inMs(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

async function newStory(): Promise<{ id: string; slug: string }> {
  return (await stack.request('POST', '/api/stories', { body: { title: 'Fire story' } })).body;
}

async function createdEvents(storyId: string, updateId: string): Promise<number> {
  const events = (await stack.request('GET', `/api/stories/${storyId}/events`)).body.events as {
    type: string;
    update?: { id: string };
  }[];
  return events.filter((e) => e.type === 'update.created' && e.update?.id === updateId).length;
}

describe('publishing at the time', () => {
  it('sends the push alert of a scheduled post with notify', async () => {
    const story = await newStory();
    const subscriber = push.newSubscriber('reader');
    const sub = await stack.request('POST', '/api/push/subscriptions', {
      body: { subscription: subscriber.subscription, topics: [`story:${story.id}`] },
      token: null,
    });
    expect(sub.status).toBe(201);
    const publishAt = inMs(5_500);
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'alerted', title: 'Curfew', body: 'Curfew from 22:00', notify: true, publishAt },
    });
    const received = () => push.received.filter((r) => r.subscriberId === subscriber.id);
    expect(received()).toEqual([]);
    await eventually(() => received().length === 1, 'the alert');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(publishAt));
    expect(received()[0]!.payload).toMatchObject({ updateId: 'alerted', storyId: story.id });
  });
});

describe('races at the fire', () => {
  const keys = () => createKeys(stack.config.keyPrefix);

  it('a cancel racing the claim: exactly one of them wins', async () => {
    const story = await newStory();
    const scheduled = createScheduledStore(stack.redis, keys());
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = `race-${i}`;
      const publishAt = inMs(60_000);
      await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id, body: 'Race', publishAt } });
      const doClaim = () => scheduled.claim(story.id, id, publishAt, 'claim');
      const doCancel = () =>
        scheduled.change(story.id, { updateId: id, kind: 'cancel', at: inMs(0), actor: 'tester', fields: {} });
      // Issued together, in both orders, so each side wins some of the time.
      const [claim, cancel] =
        i % 2 === 0
          ? await Promise.allSettled([doClaim(), doCancel()])
          : ((await Promise.allSettled([doCancel(), doClaim()])).reverse() as [
              PromiseSettledResult<Awaited<ReturnType<typeof doClaim>>>,
              PromiseSettledResult<Awaited<ReturnType<typeof doCancel>>>,
            ]);
      const claimed = claim.status === 'fulfilled' && claim.value.kind === 'due';
      const cancelled = cancel.status === 'fulfilled';
      expect(claimed !== cancelled, `${id}: claimed ${claimed}, cancelled ${cancelled}`).toBe(true);
      if (!cancelled) expect(String((cancel as PromiseRejectedResult).reason)).toMatch(/published now/);
      outcomes.push(claimed ? 'claim' : 'cancel');
    }
    console.log(`cancel vs claim winners: ${outcomes.filter((o) => o === 'claim').length} claims of 20`);
  });

  it('a duplicated or retried fire publishes once', async () => {
    const story = await newStory();
    const publishAt = inMs(60_000);
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'twice', body: 'Once', publishAt } });
    const store = createStoryStore(stack.redis, keys(), { maxPinned: 3, logMaxEvents: 1000 });
    const fire = createScheduledPublishProcessor({
      scheduled: createScheduledStore(stack.redis, keys()),
      publishOp: (op) => store.applyUpdateOp(op.storyId, toUpdateOp(op)),
      logger: pino({ level: 'silent' }),
    });
    const job = { data: { storyId: story.id, updateId: 'twice', publishAt } satisfies ScheduledPublishJob };
    const run = () => fire(job as never, 'token');
    const results = await Promise.all([run(), run(), run()]);
    expect(results.map((r) => r.outcome)).toContain('published');
    await run();
    expect(await createdEvents(story.id, 'twice')).toBe(1);
  });

  it('a create that fails for good leaves the entry failed, with the code, for editors', async () => {
    const story = await newStory();
    const publishAt = inMs(60_000);
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'doomed', body: 'x', publishAt } });
    const fire = createScheduledPublishProcessor({
      scheduled: createScheduledStore(stack.redis, keys()),
      publishOp: async () => {
        throw new UnrecoverableError('STORY_NOT_FOUND: No such story');
      },
      logger: pino({ level: 'silent' }),
    });
    const job = { data: { storyId: story.id, updateId: 'doomed', publishAt } satisfies ScheduledPublishJob };
    expect(await fire(job as never, 'token')).toEqual({ outcome: 'failed' });
    const listed = await stack.request('GET', `/api/stories/${story.id}/updates?status=scheduled`);
    expect(listed.body.updates).toMatchObject([
      { id: 'doomed', status: 'failed', failure: { code: 'STORY_NOT_FOUND' } },
    ]);
  });
});
