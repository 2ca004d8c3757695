/**
 * The Sentinel primary SIGKILLed while 300 posts are in flight, with REDIS_WAIT_REPLICAS=1.
 *
 * The API and the workers are real processes (two of each), as in production: what is tested is
 * how their own ioredis and BullMQ connections live through the failover (commands in flight,
 * reconnecting through the sentinels, READONLY from a demoted primary), which in-process nodes
 * sharing the test's event loop would blur. Readers (the product's StoryFeed on Socket.IO) and
 * push subscribers (the loopback push service) are in the test process; editors' clients retry
 * 503 with the same id until 202, as docs/api.md tells them to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnNode, waitForHttp, type NodeProcess } from '../../scripts/lib/processes.ts';
import { startSentinelSet, type SentinelSet } from '../../scripts/lib/redis-sentinel-set.ts';
import type { StoryEvent } from '../../src/domain/events.ts';
import type { Update } from '../../src/domain/update.ts';
import { startPushService, type PushService, type PushServiceSubscriber } from '../helpers/push-service.ts';
import { feedReader, seqRange, type FeedReader } from '../helpers/readers.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { processEnv, testConfig } from '../helpers/test-config.ts';

const POSTS = 300;
const CLIENTS = 24;
const CLIENT_TIMEOUT_MS = 10_000;
const DOWN_AFTER_MS = 1_000;

let set: SentinelSet;
let push: PushService;
let stack: Stack;
const processes: NodeProcess[] = [];
const urls: string[] = [];

beforeAll(async () => {
  set = await startSentinelSet({ replicas: 2, sentinels: 3, downAfterMs: DOWN_AFTER_MS });
  push = await startPushService();
  const settings = {
    PUSH_ENDPOINT_ALLOWLIST: push.origin,
    PUBLIC_URL: 'https://news.example',
    PUSH_SUBSCRIBE_RATE_PER_MINUTE: '100000',
    WRITE_RATE_PER_MINUTE: '1000000',
  };
  const config = testConfig({ REDIS_URL: '', ...set.env, REDIS_WAIT_REPLICAS: '1', ...settings });
  // No node in the test process: it only holds the editor's token and a client of the set.
  stack = await startStack({ apis: 0, workers: 0, config });
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const api = spawnNode('src/main.ts', { env: processEnv(config, { ...settings, PORT: String(port) }) });
    processes.push(api);
    urls.push(`http://127.0.0.1:${port}`);
    await waitForHttp(`${urls[i]}/healthz`, api);
    processes.push(spawnNode('workers/main.ts', { env: processEnv(config, { ...settings, WORKER_CONCURRENCY: '8' }) }));
  }
}, 90_000);

afterAll(async () => {
  for (const proc of processes) proc.kill('SIGKILL');
  await stack?.close();
  await push?.close();
  await set?.remove();
});

interface Answer {
  id: string;
  status: number | 'timeout' | 'error';
  sentAt: number;
  answeredAt: number;
}

/** One editor's client: posts until 202, retrying 503 with the same id; every answer is kept. */
async function postUntilAccepted(storyId: string, id: string, node: number, answers: Answer[]): Promise<void> {
  const body = { id, body: `Update ${id}`, ...alertOf(id) };
  for (;;) {
    const sentAt = Date.now();
    const status = await fetch(`${urls[node]}/api/stories/${storyId}/updates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    }).then(
      async (res) => (await res.arrayBuffer(), res.status),
      (error: Error) => (error.name === 'TimeoutError' ? ('timeout' as const) : ('error' as const)),
    );
    answers.push({ id, status, sentAt, answeredAt: Date.now() });
    if (status === 202) return;
    if (status !== 503) throw new Error(`post ${id} was answered ${status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every tenth post alerts the story's subscribers; every thirtieth is breaking news. */
function alertOf(id: string): { notify?: true; breaking?: true } {
  const n = Number(id.slice(2));
  if (n % 30 === 0) return { notify: true, breaking: true };
  return n % 10 === 0 ? { notify: true } : {};
}

async function subscribeDevices(storyId: string, count: number): Promise<PushServiceSubscriber[]> {
  const devices: PushServiceSubscriber[] = [];
  for (let i = 0; i < count; i++) {
    const device = push.newSubscriber(`device-${i}`);
    const topics = i % 2 === 0 ? [`story:${storyId}`] : [`story:${storyId}`, 'breaking'];
    const res = await stack.request('POST', '/api/push/subscriptions', {
      body: { subscription: device.subscription, topics },
      token: null,
      base: urls[i % 2],
    });
    expect(res.status).toBe(201);
    devices.push(device);
  }
  return devices;
}

async function logOf(storyId: string): Promise<StoryEvent[]> {
  const res = await stack.request('GET', `/api/stories/${storyId}/events?limit=1000`, { base: urls[0] });
  return res.status === 200 ? res.body.events : [];
}

async function updatesOf(storyId: string): Promise<Update[]> {
  const updates: Update[] = [];
  let before: string | null = null;
  do {
    const query = `limit=100${before ? `&before=${before}` : ''}`;
    const page = await stack.request('GET', `/api/stories/${storyId}/updates?${query}`, { base: urls[1] });
    updates.push(...page.body.updates);
    before = page.body.next;
  } while (before);
  return updates;
}

/** Runs the 300 posts through CLIENTS concurrent clients; `onAccepted` sees the count grow. */
async function postAll(storyId: string, answers: Answer[], onAccepted: (accepted: number) => void): Promise<void> {
  let next = 0;
  let accepted = 0;
  const client = async (c: number) => {
    while (next < POSTS) {
      const id = `p-${next++}`;
      await postUntilAccepted(storyId, id, c % 2, answers);
      onAccepted(++accepted);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
}

describe('SIGKILL of the Sentinel primary with 300 posts in flight (REDIS_WAIT_REPLICAS=1)', () => {
  it('loses no acknowledged post, readers converge, no alert twice, and writes get only 202 or 503', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Failover' }, base: urls[0] });
    const readers: FeedReader[] = [];
    for (let i = 0; i < 6; i++) {
      const url = urls[i % 2]!;
      readers.push(feedReader(stack.reader(url), url, story.id, 0));
    }
    await eventually(() => readers.every((r) => r.feed.isLive), 'readers live');
    const devices = await subscribeDevices(story.id, 20);

    const answers: Answer[] = [];
    const primary = await set.primary();
    let killedAt = 0;
    let killing: Promise<void> | undefined;
    await postAll(story.id, answers, (accepted) => {
      if (accepted === 80 && !killing) {
        killedAt = Date.now();
        killing = primary.stop('SIGKILL');
      }
    });
    await killing;

    // Service came back by itself once a replica was promoted.
    const firstAfterKill = answers
      .filter((a) => a.status === 202 && a.sentAt > killedAt)
      .reduce((min, a) => Math.min(min, a.answeredAt), Infinity);
    const recoveryMs = firstAfterKill - killedAt;
    console.log(
      `[sentinel-failover] kill -> first 202 sent after the kill: ${recoveryMs} ms ` +
        `(down-after-milliseconds ${DOWN_AFTER_MS}, failover-timeout 4000, quorum 2 of 3)`,
    );
    expect(Number.isFinite(recoveryMs)).toBe(true);
    expect((await set.primary()).port).not.toBe(primary.port);
    // postUntilAccepted failed the test on any other answer (a 500, a timeout, a reset).
    const refused = answers.filter((a) => a.status === 503).length;
    console.log(`[sentinel-failover] ${refused} answers were 503 and retried`);
    expect(refused).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 202)).toHaveLength(POSTS);

    // Every accepted post is in the log exactly once, seqs 1..300 without a gap.
    const log = await eventually(
      async () => {
        const events = await logOf(story.id);
        return events.length >= POSTS ? events : undefined;
      },
      'all 300 in the log',
      120_000,
    );
    expect(log.map((e) => e.seq)).toEqual(seqRange(1, POSTS));
    expect(log.every((e) => e.type === 'update.created')).toBe(true);
    expect(new Set(log.map((e) => e.update?.id)).size).toBe(POSTS);

    // Every reader converges to the log and to the updates API.
    const expected = Object.fromEntries((await updatesOf(story.id)).map((u) => [u.id, u]));
    expect(Object.keys(expected)).toHaveLength(POSTS);
    await eventually(() => readers.every((r) => r.feed.position === POSTS), 'readers at 300', 60_000);
    for (const reader of readers) {
      expect(reader.events.map((e) => e.seq)).toEqual(seqRange(1, POSTS));
      expect(Object.fromEntries(reader.state.updates)).toEqual(expected);
    }

    // No device got an alert twice; let the retried batches finish first.
    const alerted = POSTS / 10;
    let seen = -1;
    await eventually(
      async () => {
        const before = seen;
        seen = push.received.length;
        await new Promise((r) => setTimeout(r, 1_000));
        return seen > 0 && seen === before;
      },
      'alerts to stop arriving',
      90_000,
    );
    const perDeviceAndUpdate = new Map<string, number>();
    for (const r of push.received) {
      const key = `${r.subscriberId} ${(r.payload as { updateId: string }).updateId}`;
      perDeviceAndUpdate.set(key, (perDeviceAndUpdate.get(key) ?? 0) + 1);
    }
    expect([...perDeviceAndUpdate.entries()].filter(([, n]) => n > 1)).toEqual([]);
    console.log(`[sentinel-failover] alerts delivered: ${push.received.length} of ${alerted * devices.length}`);
  });
});
