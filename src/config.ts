/**
 * The one place that reads the environment. Everything else receives a frozen Config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

const Env = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://' }),
  KEY_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,32}:$', default: 'sp:' }),
  /** Wrap it in braces (`{sp-bull}`) on Redis Cluster, as BullMQ requires. */
  QUEUE_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_.{}-]{1,40}$', default: 'sp-bull' }),
  /**
   * Behind a proxy or load balancer, so rate limits see readers' addresses: the number of proxy
   * hops to trust (e.g. 1), or their addresses/CIDRs, comma-separated. `true` trusts any hop,
   * which lets a client forge X-Forwarded-For unless the proxy replaces it.
   */
  TRUST_PROXY: Type.String({ pattern: '^(true|false|\\d{1,2}|[0-9A-Fa-f:./, ]+)$', default: 'false' }),
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
  /** Where a worker serves its Prometheus /metrics (unset: not served). */
  WORKER_METRICS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  /** Origins allowed to call the API from a browser (comma-separated), or * for any. */
  CORS_ORIGINS: Type.String({ default: '*' }),
  /** Writes (posts, edits, deletes, story changes) per editor token per minute. */
  WRITE_RATE_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 600 }),
  MAX_PINNED: Type.Integer({ minimum: 0, maximum: 50, default: 3 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 15_000 }),
  VAPID_PUBLIC_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{80,100}$' })),
  VAPID_PRIVATE_KEY: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{40,50}$' })),
  VAPID_SUBJECT: Type.Optional(Type.String({ pattern: '^(mailto:|https://)' })),
  /** Origins that may be push endpoints although they fail the SSRF checks (tests, private push services). */
  PUSH_ENDPOINT_ALLOWLIST: Type.String({ default: '' }),
  PUSH_TTL_SECONDS: Type.Integer({ minimum: 0, maximum: 28 * 24 * 3600, default: 4 * 3600 }),
  PUSH_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 10_000, default: 256 }),
  PUSH_PER_ORIGIN_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 10_000, default: 64 }),
  PUSH_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 20, default: 5 }),
  PUSH_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  PUSH_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
  /**
   * Worker threads that encrypt push payloads in each worker process; 0 encrypts on the main
   * thread. Default: one per core, since the sending thread mostly waits on the network.
   */
  PUSH_ENCRYPT_THREADS: Type.Optional(Type.Integer({ minimum: 0, maximum: 64 })),
  PUSH_SUBSCRIBE_RATE_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 30 }),
  PUSH_RETRY_BASE_MS: Type.Integer({ minimum: 10, maximum: 600_000, default: 1_000 }),
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
  readonly trustProxy: boolean | number | string[];
  readonly writesPerMinute: number;
  readonly corsOrigins: readonly string[];
  readonly workerMetricsPort: number | undefined;
  readonly push: PushConfig;
}

export interface PushConfig {
  /** Both keys, or neither (then they are generated once and kept in Redis). */
  readonly vapidKeys: { publicKey: string; privateKey: string } | undefined;
  readonly vapidSubject: string;
  readonly endpointAllowlist: readonly string[];
  readonly ttlSeconds: number;
  readonly concurrency: number;
  readonly perOriginConcurrency: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  readonly batchSize: number;
  /** Worker threads encrypting payloads in each worker process (0: on the main thread). */
  readonly encryptThreads: number;
  readonly retryBaseMs: number;
  readonly subscribeRatePerMinute: number;
}

const checkEnv = Compile(Env);
const INTEGER_KEYS = new Set(
  Object.entries(Env.properties)
    .filter(([, schema]) => (schema as { type?: string }).type === 'integer')
    .map(([key]) => key),
);

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
    if (values.REDIS_URL === undefined)
      problems.unshift('REDIS_URL is not set and no Redis started by `npm start` is running');
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const v = values as EnvValues;
  if ((v.VAPID_PUBLIC_KEY === undefined) !== (v.VAPID_PRIVATE_KEY === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (then they are generated once and kept)',
    );
  }
  const allowlist = parseOrigins(v.PUSH_ENDPOINT_ALLOWLIST);
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
    trustProxy: parseTrustProxy(v.TRUST_PROXY),
    writesPerMinute: v.WRITE_RATE_PER_MINUTE,
    workerMetricsPort: v.WORKER_METRICS_PORT,
    corsOrigins: Object.freeze(
      v.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
    push: Object.freeze({
      vapidKeys:
        v.VAPID_PUBLIC_KEY && v.VAPID_PRIVATE_KEY
          ? { publicKey: v.VAPID_PUBLIC_KEY, privateKey: v.VAPID_PRIVATE_KEY }
          : undefined,
      vapidSubject:
        v.VAPID_SUBJECT ?? (v.PUBLIC_URL?.startsWith('https://') ? v.PUBLIC_URL : 'mailto:stoppress@localhost'),
      endpointAllowlist: Object.freeze(allowlist),
      ttlSeconds: v.PUSH_TTL_SECONDS,
      concurrency: v.PUSH_CONCURRENCY,
      perOriginConcurrency: v.PUSH_PER_ORIGIN_CONCURRENCY,
      maxAttempts: v.PUSH_MAX_ATTEMPTS,
      timeoutMs: v.PUSH_TIMEOUT_MS,
      batchSize: v.PUSH_BATCH_SIZE,
      encryptThreads: v.PUSH_ENCRYPT_THREADS ?? availableParallelism(),
      retryBaseMs: v.PUSH_RETRY_BASE_MS,
      subscribeRatePerMinute: v.PUSH_SUBSCRIBE_RATE_PER_MINUTE,
    }),
  });
}

function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
}

function parseOrigins(list: string): string[] {
  const origins: string[] = [];
  for (const item of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new ConfigError(
        `Invalid configuration:\n  PUSH_ENDPOINT_ALLOWLIST has "${item}", which is not an origin such as http://127.0.0.1:9123`,
      );
    }
    origins.push(url.origin);
  }
  return origins;
}
