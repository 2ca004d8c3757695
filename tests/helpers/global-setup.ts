/** One redis-server for the whole run; each test file isolates itself with its own key prefix and queue prefix. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startRedisServer, type RedisServerHandle } from './redis-server.ts';

let redis: RedisServerHandle | undefined;
const ROOT = resolve(import.meta.dirname, '..', '..');
const VITE = resolve(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

export async function setup(project: TestProject): Promise<void> {
  // The API serves the built browser bundles, as `npm start` does.
  execFileSync(process.execPath, [VITE, 'build', '--config', 'client/vite.config.ts'], { cwd: ROOT, stdio: 'inherit' });
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
