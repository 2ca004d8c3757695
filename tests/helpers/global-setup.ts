/** One redis-server for the whole run; each test file isolates itself with its own key prefix and queue prefix. */
import type { TestProject } from 'vitest/node';
import { ensureClientBuilt } from '../../scripts/client-build.mjs';
import { startRedisServer, type RedisServerHandle } from '../../scripts/lib/redis-server.ts';

let redis: RedisServerHandle | undefined;

export async function setup(project: TestProject): Promise<void> {
  // The API serves the built browser bundles, as `npm start` does.
  ensureClientBuilt({ quiet: true });
  redis = await startRedisServer();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.remove();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
