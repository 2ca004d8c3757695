/**
 * The one place that reads the environment. Everything else receives a frozen Config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

const Env = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://' }),
  KEY_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,32}:$', default: 'sp:' }),
  QUEUE_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,32}$', default: 'sp-bull' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 256, default: 16 }),
  /** Events kept per story log; older ones are trimmed and a reader behind them must reload. */
  LOG_MAX_EVENTS: Type.Integer({ minimum: 100, maximum: 10_000_000, default: 100_000 }),
  /** The most events a resuming reader is sent; further behind, a fresh snapshot is cheaper. */
  REPLAY_MAX_EVENTS: Type.Integer({ minimum: 10, maximum: 100_000, default: 5_000 }),
  MAX_PINNED: Type.Integer({ minimum: 0, maximum: 50, default: 3 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 15_000 }),
});

type EnvValues = Static<typeof Env>;

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly queuePrefix: string;
  readonly logLevel: EnvValues['LOG_LEVEL'];
  readonly publicUrl: string | undefined;
  readonly workerConcurrency: number;
  readonly logMaxEvents: number;
  readonly replayMaxEvents: number;
  readonly maxPinned: number;
  readonly shutdownTimeoutMs: number;
}

const checkEnv = Compile(Env);
const INTEGER_KEYS = new Set(['PORT', 'WORKER_CONCURRENCY', 'LOG_MAX_EVENTS', 'REPLAY_MAX_EVENTS', 'MAX_PINNED', 'SHUTDOWN_TIMEOUT_MS']);

const DEFAULT_DATA_DIR = resolve(import.meta.dirname, '..', '.data');

/** What `npm start` needs before there is a Redis to put in a Config. */
export interface LauncherSettings {
  /** Where the private Redis keeps its data (DATA_DIR, default `.data/` in the project). */
  dataDir: string;
  /** Where `npm start` writes the URL of the private Redis it launched, so other commands find it. */
  redisUrlFile: string;
  /** REDIS_URL when given: then no private Redis is started. */
  externalRedisUrl: string | undefined;
}

export function loadLauncherSettings(env: NodeJS.ProcessEnv = process.env): LauncherSettings {
  const dataDir = env.DATA_DIR ? resolve(env.DATA_DIR) : DEFAULT_DATA_DIR;
  return Object.freeze({
    dataDir,
    redisUrlFile: join(dataDir, 'redis.url'),
    externalRedisUrl: env.REDIS_URL || undefined,
  });
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function launcherRedisUrl(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').trim() || undefined;
}

function pickKnownKeys(env: NodeJS.ProcessEnv, launcherFile: string): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(Env.properties)) {
    const raw = env[key];
    if (raw === undefined || raw === '') continue;
    picked[key] = INTEGER_KEYS.has(key) && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  if (picked.REDIS_URL === undefined) {
    const fromLauncher = launcherRedisUrl(launcherFile);
    if (fromLauncher) picked.REDIS_URL = fromLauncher;
  }
  return picked;
}

function withDefaults(values: Record<string, unknown>): Record<string, unknown> {
  const out = { ...values };
  for (const [key, schema] of Object.entries(Env.properties)) {
    const fallback = (schema as { default?: unknown }).default;
    if (out[key] === undefined && fallback !== undefined) out[key] = fallback;
  }
  return out;
}

export interface LoadConfigOptions {
  /** Where to look for the URL of the Redis that `npm start` launched, when REDIS_URL is unset. */
  launcherFile?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const values = withDefaults(pickKnownKeys(env, options.launcherFile ?? loadLauncherSettings(env).redisUrlFile));
  if (!checkEnv.Check(values)) {
    const problems = [...checkEnv.Errors(values)].map((e) => `${e.instancePath.slice(1) || 'env'} ${e.message}`);
    if (values.REDIS_URL === undefined) problems.unshift('REDIS_URL is not set and no Redis started by `npm start` is running');
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const v = values as EnvValues;
  return Object.freeze({
    port: v.PORT,
    host: v.HOST,
    redisUrl: v.REDIS_URL,
    keyPrefix: v.KEY_PREFIX,
    queuePrefix: v.QUEUE_PREFIX,
    logLevel: v.LOG_LEVEL,
    publicUrl: v.PUBLIC_URL,
    workerConcurrency: v.WORKER_CONCURRENCY,
    logMaxEvents: v.LOG_MAX_EVENTS,
    replayMaxEvents: v.REPLAY_MAX_EVENTS,
    maxPinned: v.MAX_PINNED,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
  });
}
