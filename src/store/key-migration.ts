/**
 * Renames keys whose names changed, so an upgrade keeps the data of one Redis server. The editors'
 * keys gained the hash tag `{editors}` (one Redis Cluster slot for all of them). Runs at start-up
 * on one server or Sentinel only: a Cluster deployment never had the old names, and RENAME cannot
 * cross slots there. Safe with several processes starting at once: RENAMENX moves a key only
 * while the new name is free, and the loser finds the old key gone.
 */
import { Cluster } from 'ioredis';
import type { RedisClient } from '../redis/connections.ts';
import type { Keys } from './keys.ts';

/** Old name → new name, for the keys whose names changed. */
export function renamedKeys(keys: Keys): [string, string][] {
  return [
    [`${keys.prefix}editors`, keys.editors],
    [`${keys.prefix}editor-tokens`, keys.editorTokens],
    [`${keys.prefix}audit:editors`, keys.editorAudit],
  ];
}

/**
 * Folds an old hash into its new name: the fields the new one lacks (a newer write wins), then the
 * old key goes. Repeating it after a crash half-way does the same again.
 */
async function mergeHash(redis: RedisClient, from: string, to: string): Promise<boolean> {
  const fields = await redis.hgetall(from);
  for (const [field, value] of Object.entries(fields)) await redis.hsetnx(to, field, value);
  return (await redis.del(from)) === 1;
}

/**
 * Moves each old key to its new name; returns the old names it moved. When both exist (a process
 * of the new release wrote first), an old hash is merged in; an old audit stream is left as it is.
 */
export async function migrateKeyNames(redis: RedisClient, keys: Keys): Promise<string[]> {
  if (redis instanceof Cluster) return [];
  const moved: string[] = [];
  for (const [from, to] of renamedKeys(keys)) {
    const type = await redis.type(from);
    if (type === 'none') continue;
    if ((await redis.renamenx(from, to).catch(() => 0)) === 1) moved.push(from);
    else if (type === 'hash' && (await mergeHash(redis, from, to))) moved.push(from);
  }
  return moved;
}
