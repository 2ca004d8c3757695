/**
 * REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD: data nodes that require a password, and sentinels
 * that require their own, on Sentinel and on Cluster. The servers refuse a client without the
 * password (so the pipeline passing proves the passwords are used), and a post reaches a reader.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedisCluster, type RedisCluster } from '../../scripts/lib/redis-cluster.ts';
import { startSentinelSet, type SentinelSet } from '../../scripts/lib/redis-sentinel-set.ts';
import { feedReader } from '../helpers/readers.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { testConfig } from '../helpers/test-config.ts';

let stack: Stack | undefined;
let topology: SentinelSet | RedisCluster | undefined;

afterEach(async () => {
  await stack?.close();
  await topology?.remove();
  stack = undefined;
  topology = undefined;
});

/** What a server on `port` answers a PING without the password (redis-cli, as an operator would try). */
function answerWithoutPassword(port: number): string {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'PING'], { encoding: 'utf8' }).trim();
}

async function postReachesReader(s: Stack): Promise<void> {
  const created = await s.request('POST', '/api/stories', { body: { title: 'Behind a password' } });
  expect(created.status).toBe(201);
  const reader = feedReader(s.reader(), s.urls[0]!, created.body.id as string);
  await eventually(() => reader.feed.isLive, 'reader live');
  const post = await s.request('POST', `/api/stories/${created.body.id}/updates`, { body: { id: 'u1', body: 'Hi' } });
  expect(post.status).toBe(202);
  await eventually(() => reader.feed.position === 1, 'the post at the reader');
}

describe('passwords', () => {
  it('Sentinel: REDIS_PASSWORD for the servers and REDIS_SENTINEL_PASSWORD for the sentinels', async () => {
    const set = await startSentinelSet({ replicas: 1, password: 'data-secret', sentinelPassword: 'watch-secret' });
    topology = set;
    expect(answerWithoutPassword(set.servers[0]!.port)).toMatch(/NOAUTH/);
    expect(answerWithoutPassword(set.sentinels[0]!.port)).toMatch(/NOAUTH/);
    stack = await startStack({ config: testConfig({ REDIS_URL: '', ...set.env }) });
    await postReachesReader(stack);
  });

  it('Cluster: REDIS_PASSWORD for every node', async () => {
    const cluster = await startRedisCluster({ password: 'cluster-secret' });
    topology = cluster;
    expect(answerWithoutPassword(cluster.nodes[0]!.server.port)).toMatch(/NOAUTH/);
    stack = await startStack({ config: testConfig({ REDIS_URL: '', ...cluster.env }) });
    await postReachesReader(stack);
  });
});
