/**
 * A Lua script read once from src/store/scripts/, run by SHA and reloaded after a Redis restart
 * (NOSCRIPT). The key count is part of the file name, as in BullMQ: `applyUpdateOp-8.lua`, and
 * each script's first line says so. Every script is registered in SCRIPTS below, and only there.
 * A line `-- @include <name>` is replaced by scripts/includes/<name>.lua, so scripts share
 * code (Redis runs each script alone; it has no modules).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedisClient } from '../redis/connections.ts';

const SCRIPTS_DIR = new URL('./scripts/', import.meta.url);

function withIncludes(source: string): string {
  return source.replace(/^-- @include ([a-z-]+)$/gm, (_line, name: string) =>
    readFileSync(new URL(`includes/${name}.lua`, SCRIPTS_DIR), 'utf8'),
  );
}

export class LuaScript {
  readonly name: string;
  private readonly source: string;
  private readonly sha: string;
  /** The number of KEYS the script takes: the number in its file name. */
  readonly numberOfKeys: number;

  constructor(fileName: string) {
    const match = /-(\d+)\.lua$/.exec(fileName);
    if (!match) throw new Error(`Lua script name must end in -<keys>.lua: ${fileName}`);
    this.name = fileName;
    this.numberOfKeys = Number(match[1]);
    this.source = withIncludes(readFileSync(new URL(fileName, SCRIPTS_DIR), 'utf8'));
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  async run<T>(redis: RedisClient, keys: string[], args: (string | number)[]): Promise<T> {
    if (keys.length !== this.numberOfKeys) throw new Error(`${this.name} takes ${this.numberOfKeys} keys`);
    try {
      return (await redis.evalsha(this.sha, this.numberOfKeys, ...keys, ...args)) as T;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await redis.eval(this.source, this.numberOfKeys, ...keys, ...args)) as T;
    }
  }
}

/** The script registry: every .lua file of src/store/scripts/ (a unit test keeps it so). */
export const SCRIPTS = {
  /** Story creation writes the story's own keys (src/store/story-create.ts claims the slug and lists it). */
  createStory: new LuaScript('createStory-2.lua'),
  applyUpdateOp: new LuaScript('applyUpdateOp-8.lua'),
  patchStory: new LuaScript('patchStory-4.lua'),
  readTimeline: new LuaScript('readTimeline-3.lua'),
  /** Contributors' submissions (src/store/review-store.ts): submit, edit, withdraw, reject, approve. */
  reviewSubmission: new LuaScript('reviewSubmission-5.lua'),
  /** Push delivery (src/push/delivery-store.ts): at most one alert per update and device. */
  claimDelivery: new LuaScript('claimDelivery-2.lua'),
  /** Editor profiles and roles (src/store/editor-store.ts). */
  patchEditor: new LuaScript('patchEditor-1.lua'),
  /** Scheduled updates (src/store/scheduled-store.ts). */
  scheduleUpdate: new LuaScript('scheduleUpdate-5.lua'),
  changeScheduled: new LuaScript('changeScheduled-3.lua'),
  claimScheduled: new LuaScript('claimScheduled-4.lua'),
};
