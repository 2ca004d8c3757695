/**
 * REDIS_WAIT_REPLICAS on real replicas: the API answers 202 only once a replica holds the job,
 * a job's event reaches no reader before a replica holds it, and WAIT runs on the connection
 * that wrote (on a Cluster, the node that owns the key's slot). Replication is held up by
 * stopping the replicas' processes (SIGSTOP), then let go (SIGCONT).
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisCluster, type RedisCluster } from '../../scripts/lib/redis-cluster.ts';
import { startSentinelSet, type SentinelSet } from '../../scripts/lib/redis-sentinel-set.ts';
import type { RedisServerHandle } from '../../scripts/lib/redis-server.ts';
import { STORY_EVENT, type StoryEvent } from '../../src/domain/events.ts';
import { isAppError } from '../../src/errors.ts';
import { QUEUES, storyOpJobId } from '../../src/queue/jobs.ts';
import { createKeys } from '../../src/store/keys.ts';
import { closeRedis, createRedis } from '../../src/redis/connections.ts';
import { connectionOfKey, createReplicaWait } from '../../src/redis/wait-replicas.ts';
import { startPushService, type PushService } from '../helpers/push-service.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { redisUrlOf, testConfig } from '../helpers/test-config.ts';

const silent = pino({ level: 'silent' });

async function waitCalls(url: string): Promise<number> {
  const client = new Redis(url);
  try {
    const stats = await client.info('commandstats');
    return Number(/^cmdstat_wait:calls=(\d+)/m.exec(stats)?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}

function hold(servers: RedisServerHandle[]): void {
  for (const server of servers) server.proc.child.kill('SIGSTOP');
}

function release(servers: RedisServerHandle[]): void {
  for (const server of servers) server.proc.child.kill('SIGCONT');
}

/** Every story event a raw socket receives, duplicates included (StoryFeed would drop them). */
async function rawReader(url: string, storyId: string): Promise<{ events: StoryEvent[]; close(): void }> {
  const socket = connect(url, { transports: ['websocket'] });
  const events: StoryEvent[] = [];
  socket.on(STORY_EVENT, (event: StoryEvent) => events.push(event));
  await new Promise<void>((resolve) => socket.emit('subscribe', { storyId }, () => resolve()));
  return { events, close: () => socket.disconnect() };
}

describe('REDIS_WAIT_REPLICAS=1 on Sentinel', () => {
  let set: SentinelSet;
  let stack: Stack;
  let replicas: RedisServerHandle[];
  let push: PushService;

  beforeAll(async () => {
    set = await startSentinelSet({ downAfterMs: 5_000 });
    replicas = set.servers.slice(1);
    push = await startPushService();
    const env = {
      REDIS_URL: '',
      ...set.env,
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '300',
      PUSH_ENDPOINT_ALLOWLIST: push.origin,
      PUBLIC_URL: 'https://news.example',
      PUSH_RETRY_BASE_MS: '1500',
    };
    stack = await startStack({ config: testConfig(env) });
  });
  afterAll(async () => {
    release(replicas);
    await stack?.close();
    await push?.close();
    await set?.remove();
  });

  it('answers 503 UNAVAILABLE while no replica confirms, shows readers nothing, and takes the retry once', async () => {
    const story = (await stack.request('POST', '/api/stories', { body: { title: 'Replicated' } })).body;
    const reader = await rawReader(stack.urls[0]!, story.id);
    const post = () => stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'held', body: 'x' } });

    hold(replicas);
    const refused = await post();
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('UNAVAILABLE');
    // The job reached the primary: the worker applies it, but its WAIT falls short too.
    const jobs = stack.redis;
    const jobKey = `${stack.config.queuePrefix}:${QUEUES.storyOps}:${storyOpJobId(story.id, 'create-held')}`;
    await eventually(async () => Number(await jobs.hget(jobKey, 'atm')) >= 1, 'a failed attempt of the job');
    expect(reader.events).toEqual([]);

    release(replicas);
    const accepted = await post();
    expect(accepted.status).toBe(202);
    await eventually(() => reader.events.some((e) => e.update?.id === 'held'), 'the event');
    // A later post's event comes after it; by then a second publish of 'held' would have come too.
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'after', body: 'y' } });
    await eventually(() => reader.events.some((e) => e.update?.id === 'after'), 'the later event');
    await eventually(async () => (await jobs.hget(jobKey, 'finishedOn')) !== null, 'the job to finish');
    expect(reader.events.filter((e) => e.update?.id === 'held')).toHaveLength(1);
    reader.close();
  });

  it('answers a story creation 503 until a replica holds it; the retry with the same Idempotency-Key gets that story', async () => {
    const create = () =>
      stack.request('POST', '/api/stories', {
        body: { title: 'Held story' },
        headers: { 'idempotency-key': 'held-story' },
      });
    hold(replicas);
    const refused = await create();
    release(replicas);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('UNAVAILABLE');
    const created = await create();
    expect(created.status).toBe(201);
    expect((await create()).body.id).toBe(created.body.id);
    const list = (await stack.request('GET', '/api/stories?limit=100')).body.stories as { title: string }[];
    expect(list.filter((story) => story.title === 'Held story')).toHaveLength(1);
  });

  it('sends an alert only once its claim is on a replica, and then once: a claim that waits is not lost', async () => {
    const story = (await stack.request('POST', '/api/stories', { body: { title: 'Alerting' } })).body;
    const device = push.newSubscriber('device');
    const subscribed = await stack.request('POST', '/api/push/subscriptions', {
      body: { subscription: device.subscription, topics: [`story:${story.id}`] },
      token: null,
    });
    expect(subscribed.status).toBe(201);
    // The first message is refused, so the alert's second claim comes in a retry batch, later.
    push.behave(device.id, { status: 500, times: 1 });
    const posted = await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'alerting', body: 'x', notify: true },
    });
    expect(posted.status).toBe(202);
    await eventually(() => push.requestsFor(device.id) === 1, 'the first message, refused');

    hold(replicas);
    const delivery = createKeys(stack.config.keyPrefix).push.delivery(story.id, 'alerting');
    const subscription: string = subscribed.body.id;
    let releasedAt: number;
    try {
      const claimState = async () => stack.redis.hget(delivery, subscription);
      // The first claim was settled as 'retry'; 'sending' again is the retry batch's claim.
      await eventually(async () => (await claimState()) === 'retry', 'the first message settled for a retry');
      await eventually(async () => (await claimState()) === 'sending', 'the second claim');
      // Long enough for a message that does not wait for its claim to go out; nothing is timed.
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      releasedAt = Date.now();
      release(replicas);
    }
    const [alert] = await eventually(() => {
      const got = push.received.filter((r) => r.subscriberId === device.id);
      return got.length > 0 ? got : undefined;
    }, 'the alert');
    expect(alert!.at).toBeGreaterThanOrEqual(releasedAt);
    await eventually(async () => (await stack.redis.hget(delivery, subscription)) === 'sent', 'the alert settled');
    expect(push.received.filter((r) => r.subscriberId === device.id)).toHaveLength(1);
  });

  it('sends WAIT on the primary for an accepted write', async () => {
    const before = await waitCalls((await set.primary()).url);
    const res = await stack.request('POST', '/api/stories', { body: { title: 'Counted' } });
    expect(res.status).toBe(201);
    expect(await waitCalls((await set.primary()).url)).toBeGreaterThan(before);
  });
});

describe('REDIS_WAIT_REPLICAS=0 (the default)', () => {
  it('sends no WAIT at all', async () => {
    const stack = await startStack();
    try {
      const url = redisUrlOf(stack.config);
      const before = await waitCalls(url);
      const story = (await stack.request('POST', '/api/stories', { body: { title: 'Unwaited' } })).body;
      const reader = await rawReader(stack.urls[0]!, story.id);
      const res = await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'u', body: 'x' } });
      expect(res.status).toBe(202);
      await eventually(() => reader.events.length === 1, 'the event');
      reader.close();
      expect(await waitCalls(url)).toBe(before);
    } finally {
      await stack.close();
    }
  });
});

describe('WAIT on a Redis Cluster', () => {
  let cluster: RedisCluster;

  beforeAll(async () => {
    cluster = await startRedisCluster({ primaries: 3, replicasPerPrimary: 1 });
  });
  afterAll(async () => {
    for (const node of cluster?.nodes ?? []) node.server.proc.child.kill('SIGCONT');
    await cluster?.remove();
  });

  it("runs on the connection of the primary that owns the key's slot, and falls short without its replica", async () => {
    const config = testConfig({ REDIS_URL: '', ...cluster.env });
    const client = createRedis(config.redis.topology, silent, 'wait-test');
    const wait = createReplicaWait({ waitReplicas: 1, waitTimeoutMs: 300 });
    const key = `${config.keyPrefix}story:{wait-1}`;
    await client.set(key, 'v');
    const ownerPort = connectionOfKey(client, key).options.port;
    const owner = cluster.nodes.find((node) => node.server.port === ownerPort)!;
    await eventually(async () => /state=online/.test(await infoReplication(owner.server.url)), 'the replica in sync');
    const callsBefore = await Promise.all(cluster.nodes.map((node) => waitCalls(node.server.url)));
    await wait.confirm(client, key);
    const callsAfter = await Promise.all(cluster.nodes.map((node) => waitCalls(node.server.url)));
    const waitedOn = cluster.nodes.filter((_, i) => callsAfter[i]! > callsBefore[i]!);
    expect(waitedOn.map((node) => node.id)).toEqual([owner.id]);

    const ownerReplica = await ownerReplicaOf(owner.server.url, owner.id, cluster);
    hold([ownerReplica]);
    await client.set(key, 'w');
    const error = await wait.confirm(client, key).catch((e: unknown) => e);
    release([ownerReplica]);
    expect(isAppError(error) && error.code).toBe('UNAVAILABLE');
    await closeRedis(client);
  });
});

async function infoReplication(url: string): Promise<string> {
  const client = new Redis(url);
  try {
    return await client.info('replication');
  } finally {
    client.disconnect();
  }
}

async function ownerReplicaOf(url: string, id: string, cluster: RedisCluster): Promise<RedisServerHandle> {
  const client = new Redis(url);
  const lines = (await client.call('CLUSTER', 'REPLICAS', id)) as string[];
  client.disconnect();
  const port = Number(/:(\d+)@/.exec(lines[0] ?? '')?.[1]);
  const node = cluster.nodes.find((n) => n.server.port === port);
  if (!node) throw new Error(`no replica of ${id}`);
  return node.server;
}

describe('REDIS_WAIT_REPLICAS=1 on a Redis Cluster, the whole pipeline', () => {
  let cluster: RedisCluster;
  let stack: Stack;
  let replicaServers: RedisServerHandle[];

  beforeAll(async () => {
    cluster = await startRedisCluster({ primaries: 3, replicasPerPrimary: 1 });
    replicaServers = [];
    for (const node of cluster.nodes) {
      if (/role:slave/.test(await infoReplication(node.server.url))) replicaServers.push(node.server);
    }
    const env = { REDIS_URL: '', ...cluster.env, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '300' };
    stack = await startStack({ config: testConfig(env) });
  });
  afterAll(async () => {
    release(replicaServers ?? []);
    await stack?.close();
    await cluster?.remove();
  });

  it('answers 202 once replicas hold the job, 503 while they cannot, and the retry publishes once', async () => {
    expect(replicaServers).toHaveLength(3);
    // Right after the cluster is made, a replica may not have synced yet: a 503 then, retried.
    const created = await eventually(async () => {
      const res = await stack.request('POST', '/api/stories', {
        body: { title: 'Sharded' },
        headers: { 'idempotency-key': 'sharded-story' },
      });
      return res.status === 201 ? res : undefined;
    }, 'the story created');
    const story = created.body;
    const reader = await rawReader(stack.urls[0]!, story.id);
    const post = (id: string) => stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id, body: id } });
    expect((await post('one')).status).toBe(202);
    await eventually(() => reader.events.some((e) => e.update?.id === 'one'), 'the first event');

    hold(replicaServers);
    let refused;
    try {
      refused = await post('two');
    } finally {
      release(replicaServers);
    }
    expect(refused.status).toBe(503);
    expect((await post('two')).status).toBe(202);
    await eventually(() => reader.events.some((e) => e.update?.id === 'two'), 'the second event');
    expect((await post('three')).status).toBe(202);
    await eventually(() => reader.events.some((e) => e.update?.id === 'three'), 'the third event');
    expect(reader.events.filter((e) => e.update?.id === 'two')).toHaveLength(1);
    reader.close();
  });
});
