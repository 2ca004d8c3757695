/**
 * Every script and every transaction touches one hash slot, as Redis Cluster requires. The whole
 * product runs on the test run's one redis-server while a second connection MONITORs it: each
 * EVAL/EVALSHA and each MULTI…EXEC of this test's keys is recorded with its keys (Redis itself
 * names them, COMMAND GETKEYS), and every one must map to a single slot. The queue prefix is a
 * hash tag, as on Cluster, so BullMQ's scripts are held to the same rule.
 * (Pipelines have no trace on the wire; tests/integration/cluster.test.ts runs them on a Cluster.)
 */
import calculateSlot from 'cluster-key-slot';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { startPushService, type PushService } from '../helpers/push-service.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { monitorRedis } from '../helpers/redis-monitor.ts';
import { redisUrlOf } from '../helpers/test-config.ts';

/** One script call or one transaction: the client that sent it and its commands. */
interface KeyedCall {
  kind: 'script' | 'transaction';
  commands: string[][];
}

let push: PushService;
let stack: Stack;
let stopMonitor: () => void;
const calls: KeyedCall[] = [];

beforeAll(async () => {
  push = await startPushService();
  const id = Math.random().toString(36).slice(2, 8);
  stack = await startStack({
    env: {
      QUEUE_PREFIX: `{kq${id}}`,
      PUSH_ENDPOINT_ALLOWLIST: push.origin,
      PUSH_RETRY_BASE_MS: '50',
      PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000',
    },
  });
  const { hostname, port } = new URL(redisUrlOf(stack.config));
  const open = new Map<string, string[][]>();
  stopMonitor = await monitorRedis(hostname, Number(port), (args, source) => {
    const name = args[0]!.toLowerCase();
    if (name === 'multi') open.set(source, []);
    else if (name === 'exec' || name === 'discard') {
      const commands = open.get(source);
      open.delete(source);
      if (commands && name === 'exec') calls.push({ kind: 'transaction', commands });
    } else if (open.has(source)) open.get(source)!.push(args);
    else if (name === 'eval' || name === 'evalsha') calls.push({ kind: 'script', commands: [args] });
  });
});

afterAll(async () => {
  stopMonitor?.();
  await stack?.close();
  await push?.close();
});

/** The keys of one command, as Redis names them. */
async function keysOf(client: Redis, command: string[]): Promise<string[]> {
  const name = command[0]!.toLowerCase();
  if (name === 'eval' || name === 'evalsha') return command.slice(3, 3 + Number(command[2]));
  try {
    return (await client.call('COMMAND', 'GETKEYS', ...command)) as string[];
  } catch {
    return []; // a command without keys
  }
}

async function drive(): Promise<void> {
  const editors = createEditorStore(stack.redis, createKeys(stack.config.keyPrefix));
  const contributor = (await editors.add('kit', 'contributor')).token;
  await stack.request('POST', '/api/editors', { body: { name: 'desk', role: 'editor' } });
  await stack.request('PATCH', '/api/editors/desk', { body: { displayName: 'The Desk' } });
  await stack.request('DELETE', '/api/editors/desk');
  const story = (await stack.request('POST', '/api/stories', { body: { title: 'Slots' } })).body;
  const base = `/api/stories/${story.id}`;
  const subscriber = push.newSubscriber('slots');
  await stack.request('POST', '/api/push/subscriptions', {
    body: { subscription: subscriber.subscription, topics: [`story:${story.id}`, 'breaking'] },
    token: null,
  });
  await stack.request('POST', `${base}/updates`, { body: { id: 'a', body: 'A', notify: true } });
  await stack.request('POST', `${base}/updates`, { body: { id: 'b', body: 'B', keyEvent: true } });
  await stack.request('PATCH', `${base}/updates/a`, { body: { body: 'A, edited', pinned: true } });
  await stack.request('DELETE', `${base}/updates/b`);
  await stack.request('PATCH', base, { body: { summary: 'Every key in its slot' } });
  const later = (ms: number) => new Date(Date.now() + ms).toISOString();
  await stack.request('POST', `${base}/updates`, { body: { id: 'c', body: 'C', publishAt: later(60_000) } });
  await stack.request('PATCH', `${base}/updates/c`, { body: { body: 'C2', publishAt: later(5_500) } });
  await stack.request('POST', `${base}/updates`, { body: { id: 'd', body: 'D', publishAt: later(60_000) } });
  await stack.request('DELETE', `${base}/updates/d`);
  for (const id of ['s1', 's2']) {
    await stack.request('POST', `${base}/updates`, { body: { id, body: id }, token: contributor });
  }
  await stack.request('POST', `${base}/updates/s1/approve`, { body: {} });
  await stack.request('POST', `${base}/updates/s2/reject`, { body: { note: 'Source?' } });
  await eventually(() => push.received.some((r) => r.subscriberId === subscriber.id), 'the alert');
  await eventually(async () => (await stack.request('GET', `${base}/events`)).body.lastSeq >= 7, 'all published');
  await stack.request('GET', `${base}/updates`, { token: null });
  await stack.request('GET', `/stories/${story.slug}`, { token: null });
  await stack.request('GET', '/api/stories', { token: null });
  await stack.request('GET', `${base}/alerts`);
  await stack.request('DELETE', '/api/push/subscriptions', { body: { endpoint: subscriber.subscription.endpoint } });
}

describe('hash slots', () => {
  it('every script and every transaction of the product touches a single slot', async () => {
    await drive();
    stopMonitor();
    const prefixes = [stack.config.keyPrefix, stack.config.queuePrefix];
    const client = new Redis(redisUrlOf(stack.config));
    const checked: { kind: KeyedCall['kind']; commands: string; slots: number[] }[] = [];
    for (const call of calls) {
      const keys = (await Promise.all(call.commands.map((c) => keysOf(client, c)))).flat();
      // The run's redis-server is shared with other test files: only this test's keys count.
      if (!keys.some((key) => prefixes.some((prefix) => key.startsWith(prefix)))) continue;
      const slots = [...new Set(keys.map((key) => calculateSlot(key)))];
      checked.push({
        kind: call.kind,
        commands: call.commands.map((c) => `${c[0]} ${c.slice(1, 4).join(' ')}`).join('; '),
        slots,
      });
    }
    client.disconnect();
    // The drive above exercised scripts (ours and BullMQ's) and transactions.
    expect(checked.filter((c) => c.kind === 'script').length).toBeGreaterThan(20);
    expect(checked.filter((c) => c.kind === 'transaction').length).toBeGreaterThan(3);
    expect(checked.filter((c) => c.slots.length > 1)).toEqual([]);
  }, 120_000);
});
