/**
 * What `npm start` reads before there is a Config: where its private Redis lives, and whether to
 * start one at all. The commands run beside it (`npm run editor`, `npm run demo`) use the same
 * settings to find that Redis. The schema is the source of the launcher section of
 * docs/configuration.md, as src/config-schema.ts is of the rest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Type } from 'typebox';

const DEFAULT_DATA_DIR = resolve(import.meta.dirname, '..', '..', '.data');

export const LAUNCHER_SCHEMA = Type.Object({
  DATA_DIR: Type.Optional(
    Type.String({
      defaultText: '`.data/` in the project',
      description:
        "Where `npm start`'s private Redis keeps its AOF and log (`DATA_DIR/redis/`), uploaded photos " +
        '(`DATA_DIR/media/`, unless MEDIA_DIR is set) and its URL ' +
        '(`DATA_DIR/redis.url`, which `npm run editor` and `npm run demo` read when REDIS_URL is unset); ' +
        'the demo keeps its token here',
    }),
  ),
  REDIS_URL: Type.Optional(
    Type.String({
      pattern: '^rediss?://',
      description:
        'When set, or REDIS_SENTINELS or REDIS_CLUSTER_NODES is, `npm start` starts no Redis and passes that one ' +
        'to the API and the worker',
    }),
  ),
});

const WHERE_REDIS = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const;

export interface LauncherSettings {
  /** Where the private Redis keeps its data. */
  readonly dataDir: string;
  /** Where `npm start` writes the URL of the private Redis it launched, so the commands beside it find it. */
  readonly redisUrlFile: string;
  /** Which variable names the Redis to use, when one does: then no private Redis is started. */
  readonly externalRedis: (typeof WHERE_REDIS)[number] | undefined;
}

export function loadLauncherSettings(env: NodeJS.ProcessEnv = process.env): LauncherSettings {
  const dataDir = env.DATA_DIR ? resolve(env.DATA_DIR) : DEFAULT_DATA_DIR;
  return Object.freeze({
    dataDir,
    redisUrlFile: join(dataDir, 'redis.url'),
    externalRedis: WHERE_REDIS.find((key) => env[key]),
  });
}

/** The URL a running (or crashed) `npm start` left in DATA_DIR, if any. */
export function readLauncherRedisUrl(settings: LauncherSettings): string | undefined {
  if (!existsSync(settings.redisUrlFile)) return undefined;
  return readFileSync(settings.redisUrlFile, 'utf8').trim() || undefined;
}

/**
 * The environment for a development command run beside `npm start` (editor, demo): REDIS_URL
 * falls back to the Redis that `npm start` launched. Never in production, where loadConfig then
 * refuses to start without REDIS_URL.
 */
export function envBesideLauncher(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (WHERE_REDIS.some((key) => env[key]) || env.NODE_ENV === 'production') return env;
  const url = readLauncherRedisUrl(loadLauncherSettings(env));
  return url ? { ...env, REDIS_URL: url } : env;
}
