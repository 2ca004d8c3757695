/**
 * An upgrade keeps the editors of one Redis server: the keys that gained the `{editors}` hash tag
 * are renamed at start-up, once, and an API node started on the old data serves the old tokens.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateKeyNames, renamedKeys } from '../../src/store/key-migration.ts';
import { createKeys } from '../../src/store/keys.ts';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { redisUrlOf, testConfig } from '../helpers/test-config.ts';

let redis: Redis;
const stacks: Stack[] = [];

beforeAll(() => {
  redis = new Redis(redisUrlOf(testConfig()));
});
afterAll(async () => {
  for (const stack of stacks) await stack.close();
  redis.disconnect();
});

/** Writes an editor the way the previous release did: under the old key names. */
async function oldRelease(prefix: string): Promise<string> {
  const scratch = createKeys(`${prefix}scratch:`);
  const { token } = await createEditorStore(redis, scratch).add('veteran', 'admin');
  for (const [from, to] of renamedKeys(createKeys(prefix)))
    await redis.rename(to.replace(prefix, `${prefix}scratch:`), from);
  return token;
}

describe('key names that changed', () => {
  it('are renamed once, and an old hash is merged into a newer one, the newer fields kept', async () => {
    const keys = createKeys(testConfig().keyPrefix);
    await oldRelease(keys.prefix);
    const moved = await migrateKeyNames(redis, keys);
    expect(moved).toEqual(renamedKeys(keys).map(([from]) => from));
    expect(await redis.hexists(keys.editors, 'veteran')).toBe(1);
    expect(await redis.xlen(keys.editorAudit)).toBe(1);
    expect(await migrateKeyNames(redis, keys)).toEqual([]);
    await redis.hset(`${keys.prefix}editors`, 'veteran', 'older', 'other', '{}');
    expect(await migrateKeyNames(redis, keys)).toEqual([`${keys.prefix}editors`]);
    expect(await redis.hget(keys.editors, 'veteran')).not.toBe('older');
    expect(await redis.hget(keys.editors, 'other')).toBe('{}');
    expect(await redis.exists(`${keys.prefix}editors`)).toBe(0);
  });

  it('an API node started on the old data accepts the old token, though the new names were written first', async () => {
    const config = testConfig();
    const token = await oldRelease(config.keyPrefix);
    const stack = await startStack({ config, workers: 0 });
    stacks.push(stack);
    const me = await stack.request('GET', '/api/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ name: 'veteran' });
  });
});
