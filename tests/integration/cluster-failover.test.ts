/**
 * Redis Cluster under faults, with posts flowing and readers connected on two API nodes:
 * - a failover: the primary of the shard holding story A is SIGKILLed and its replica takes
 *   over; stories on the other shards keep getting 202s and keep reaching their readers, and
 *   afterwards every accepted post of every story is in its log once, gapless;
 * - a resharding: the slot of a live story moves to another primary, and nothing is lost.
 * Posters retry a refused post with the same id (idempotent), as clients do.
 */
import calculateSlot from 'cluster-key-slot';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedisCluster, type ClusterNode, type RedisCluster } from '../../scripts/lib/redis-cluster.ts';
import { createKeys } from '../../src/store/keys.ts';
import { feedReader, seqRange, type FeedReader } from '../helpers/readers.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { testConfig } from '../helpers/test-config.ts';

let cluster: RedisCluster | undefined;
let stack: Stack | undefined;

afterEach(async () => {
  await stack?.close();
  await cluster?.remove();
  stack = undefined;
  cluster = undefined;
});

async function start(): Promise<{ cluster: RedisCluster; stack: Stack }> {
  cluster = await startRedisCluster({ primaries: 3, replicasPerPrimary: 1 });
  // REDIS_WAIT_REPLICAS=1 refuses writes until every replica has synced once.
  await replicasInSync(cluster);
  // As on Sentinel: a 202, an event and an alert only once a replica holds the write, so the
  // promoted replica has everything anyone was told.
  const config = testConfig({ REDIS_URL: '', ...cluster.env, REDIS_WAIT_REPLICAS: '1' });
  stack = await startStack({ config, apis: 2 });
  return { cluster, stack };
}

/** One story with a poster and a reader on each API node. */
interface LiveStory {
  id: string;
  shard: ClusterNode;
  readers: FeedReader[];
  /** Post ids in the order they got their 202. */
  accepted: string[];
  acceptedAt: number[];
  /** Answers other than 202, with when they came. */
  refused: { status: number | string; at: number }[];
  /** Reader 0's position over time. */
  positions: { at: number; position: number }[];
}

function storySlot(s: Stack, storyId: string): number {
  return calculateSlot(createKeys(s.config.keyPrefix).story(storyId).story);
}

async function openStory(s: Stack, c: RedisCluster, title: string): Promise<LiveStory> {
  // A 503 (a replica not there yet) is retried with the same key, as a client would.
  const headers = { 'idempotency-key': `open-${title.replace(/\W+/g, '-')}` };
  const { body } = await eventually(async () => {
    const res = await s.request('POST', '/api/stories', { body: { title }, headers });
    return res.status === 201 ? res : undefined;
  }, `story ${title} created`);
  const readers = s.urls.map((url) => feedReader(s.reader(url), url, body.id as string, 0));
  const shard = await c.ownerOf(storySlot(s, body.id as string));
  return { id: body.id, shard, readers, accepted: [], acceptedAt: [], refused: [], positions: [] };
}

/** Posts to the story until stopped, retrying a refused post with the same id. */
function keepPosting(s: Stack, story: LiveStory, until: () => boolean): Promise<void> {
  return (async () => {
    for (let n = 0, node = 0; !until(); node = 1 - node) {
      const id = `p${n}`;
      const res = await s
        .request('POST', `/api/stories/${story.id}/updates`, { body: { id, body: `Post ${n}` }, base: s.urls[node] })
        .catch((error: Error) => ({ status: error.message }));
      story.positions.push({ at: Date.now(), position: story.readers[0]!.feed.position });
      if (res.status === 202) {
        story.accepted.push(id);
        story.acceptedAt.push(Date.now());
        n++;
      } else {
        story.refused.push({ status: res.status, at: Date.now() });
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  })();
}

/** Every accepted post is in the log once, gapless, and every reader has all of it. */
async function expectComplete(s: Stack, story: LiveStory): Promise<void> {
  const total = story.accepted.length;
  await eventually(
    () => story.readers.every((r) => r.feed.position === total),
    `readers of ${story.id} at ${total}`,
    60_000,
  );
  const { body } = await s.request('GET', `/api/stories/${story.id}/events?limit=1000`);
  const ids = (body.events as { seq: number; update: { id: string } }[]).map((e) => e.update.id);
  // Once each. (A job retried after a refused write lands after the ones that overtook it.)
  expect([...ids].sort()).toEqual([...story.accepted].sort());
  expect((body.events as { seq: number }[]).map((e) => e.seq)).toEqual(seqRange(1, total));
  for (const reader of story.readers) expect(reader.events.map((e) => e.seq)).toEqual(seqRange(1, total));
}

/** Stories until every primary holds one, then one per primary. */
async function storiesOnEveryShard(s: Stack, c: RedisCluster): Promise<LiveStory[]> {
  const byShard = new Map<number, LiveStory>();
  for (let i = 0; i < 60 && byShard.size < 3; i++) {
    const story = await openStory(s, c, `Shard story ${i}`);
    if (!byShard.has(story.shard.server.port)) byShard.set(story.shard.server.port, story);
  }
  expect(byShard.size).toBe(3);
  return [...byShard.values()];
}

/** The primaries, one per range of slots `redis-cli --cluster create` gave them. */
async function primaries(c: RedisCluster): Promise<ClusterNode[]> {
  return [...new Set(await Promise.all([0, 8000, 16000].map((slot) => c.ownerOf(slot))))];
}

/**
 * The shard for story A: one holding neither the queue nor the editors (every post needs both),
 * and if possible not the Socket.IO channel (which matters once pub/sub is sharded).
 */
async function shardToKill(s: Stack, c: RedisCluster): Promise<number> {
  const keys = createKeys(s.config.keyPrefix);
  const portOf = async (key: string) => (await c.ownerOf(calculateSlot(key))).server.port;
  const needed = [await portOf(s.config.queuePrefix), await portOf(keys.editors)];
  const channel = await portOf(`${keys.socketIo}#/#`);
  const free = (await primaries(c)).map((p) => p.server.port).filter((port) => !needed.includes(port));
  return free.find((port) => port !== channel) ?? free[0]!;
}

/** Until every replica's link to its primary is up (a replica that never synced is never promoted). */
async function replicasInSync(c: RedisCluster): Promise<void> {
  const linkUp = async (port: number) => {
    const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      const info = await client.info('replication');
      return !info.includes('role:slave') || info.includes('master_link_status:up');
    } finally {
      client.disconnect();
    }
  };
  await eventually(async () => (await Promise.all(c.nodes.map((n) => linkUp(n.server.port)))).every(Boolean), 'sync');
}

describe('Redis Cluster failover under load', () => {
  it('the other shards never stop, and after the failover every accepted post is in its log once', async () => {
    const { cluster: c, stack: s } = await start();
    const stories = await storiesOnEveryShard(s, c);
    await eventually(() => stories.every((st) => st.readers.every((r) => r.feed.isLive)), 'readers live');
    const victimPort = await shardToKill(s, c);
    const storyA = stories.find((st) => st.shard.server.port === victimPort)!;
    const others = stories.filter((st) => st !== storyA);
    const slotA = storySlot(s, storyA.id);

    let stop = false;
    const posting = stories.map((story) => keepPosting(s, story, () => stop));
    await eventually(() => stories.every((st) => st.readers[0]!.feed.position >= 5), 'posts flowing');

    await replicasInSync(c);
    const killedAt = Date.now();
    await storyA.shard.server.stop('SIGKILL');
    // The replica is promoted when the cluster agrees A's primary is gone.
    await eventually(async () => (await c.ownerOf(slotA)).server.port !== victimPort, 'a replica promoted', 60_000);
    const promotedAt = Date.now();
    // With REDIS_WAIT_REPLICAS=1 and one replica per shard, the promoted primary has no replica
    // left: A's writes are refused (503) rather than acknowledged without a copy, until the killed
    // node is back, which rejoins as the replica of the promoted one.
    await c.waitUntilHealthy();
    await storyA.shard.server.restart();
    await replicasInSync(c);
    const replicaBackAt = Date.now();
    const acceptedBeforeKill = storyA.accepted.length;
    await eventually(
      () => storyA.acceptedAt.some((at) => at > promotedAt) && storyA.readers[0]!.feed.position > acceptedBeforeKill,
      'story A takes writes again',
      60_000,
    ).catch((error: Error) => {
      for (const st of stories)
        console.log(
          st === storyA ? 'A' : 'other',
          st.accepted.length,
          st.readers.map((r) => r.feed.position),
          [...new Set(st.refused.map((r) => r.status))],
          st.refused.length,
        );
      throw error;
    });
    const refusedA = storyA.refused.filter((r) => r.at >= killedAt);
    const firstAcceptAfterRefusal = storyA.acceptedAt.find((at) => at > (refusedA[0]?.at ?? killedAt));
    stop = true;
    await Promise.all(posting);

    console.log(
      `failover: replica promoted ${promotedAt - killedAt} ms after the kill; the killed node back as its ` +
        `replica ${replicaBackAt - killedAt} ms after; story A accepted writes again ` +
        `${(firstAcceptAfterRefusal ?? killedAt) - killedAt} ms after the kill (${refusedA.length} refused answers: ` +
        `${[...new Set(refusedA.map((r) => r.status))].join(', ')})`,
    );
    expect(new Set(refusedA.map((r) => r.status))).toEqual(new Set([503]));
    for (const story of others) {
      // Posts to the other shards got 202 throughout, and reached their readers during the failover.
      expect(story.refused).toEqual([]);
      expect(story.acceptedAt.filter((at) => at > killedAt && at < promotedAt).length).toBeGreaterThan(0);
      const during = story.positions.filter((p) => p.at > killedAt && p.at < promotedAt).map((p) => p.position);
      expect(Math.max(...during)).toBeGreaterThan(Math.min(...during));
    }
    for (const story of stories) await expectComplete(s, story);
  }, 180_000);
});

describe('Redis Cluster resharding', () => {
  it('moving the slot of a live story to another primary loses nothing', async () => {
    const { cluster: c, stack: s } = await start();
    const story = await openStory(s, c, 'Moving story');
    await eventually(() => story.readers.every((r) => r.feed.isLive), 'readers live');
    const slot = storySlot(s, story.id);
    const from = await c.ownerOf(slot);
    const to = (await primaries(c)).find((p) => p.server.port !== from.server.port)!;

    let stop = false;
    const posting = keepPosting(s, story, () => stop);
    await eventually(() => story.readers[0]!.feed.position >= 10, 'posts flowing');
    await c.moveSlot(slot, to);
    expect((await c.ownerOf(slot)).server.port).toBe(to.server.port);
    const movedAt = story.accepted.length;
    await eventually(() => story.accepted.length >= movedAt + 10, 'posts after the move');
    stop = true;
    await posting;
    console.log(`resharding: ${story.accepted.length} posts, ${story.refused.length} refused and retried`);
    await expectComplete(s, story);
  }, 120_000);
});
