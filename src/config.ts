/**
 * The one place in src/ that reads the environment (the schema is in config-schema.ts). Everything
 * else receives a frozen Config. It reads no files: `npm start`'s conveniences live in scripts/.
 */
import { availableParallelism } from 'node:os';
import { Compile } from 'typebox/compile';
import { ENV_SCHEMA, type EnvValues } from './config-schema.ts';
import { parseHostPorts, type RedisSettings, type RedisTopology } from './redis/topology.ts';
import { mastodonHostProblem } from './shared/embeds.ts';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly redis: RedisSettings;
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
  readonly media: MediaConfig;
  readonly embeds: EmbedsConfig;
}

export interface EmbedsConfig {
  /** Mastodon instances whose posts may be framed: lower-case public hostnames. */
  readonly mastodonHosts: readonly string[];
}

export interface MediaConfig {
  /** Where the default storage keeps photo files (resolved against the working directory). */
  readonly dir: string;
  readonly maxBytes: number;
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

const checkEnv = Compile(ENV_SCHEMA);
const INTEGER_KEYS = new Set(
  Object.entries(ENV_SCHEMA.properties)
    .filter(([, schema]) => (schema as { type?: string }).type === 'integer')
    .map(([key]) => key),
);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function pickKnownKeys(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(ENV_SCHEMA.properties)) {
    const raw = env[key];
    if (raw === undefined || raw === '') continue;
    picked[key] = INTEGER_KEYS.has(key) && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  return picked;
}

function withDefaults(values: Record<string, unknown>): Record<string, unknown> {
  const out = { ...values };
  for (const [key, schema] of Object.entries(ENV_SCHEMA.properties)) {
    const fallback = (schema as { default?: unknown }).default;
    if (out[key] === undefined && fallback !== undefined) out[key] = fallback;
  }
  return out;
}

const WHERE_REDIS = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const;

/**
 * Production never guesses where Redis is: a file in the checkout could point at the wrong one.
 * In development the way to get a Redis is `npm start`, which passes REDIS_URL to what it starts.
 */
function missingRedis(production: boolean): string {
  if (production)
    return (
      'no Redis is configured, and NODE_ENV=production requires one: set REDIS_URL=redis://host:port (or rediss://), ' +
      'REDIS_SENTINELS with REDIS_SENTINEL_NAME, or REDIS_CLUSTER_NODES'
    );
  return (
    'no Redis is configured (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES). Run everything with `npm start` ' +
    '(it starts a private Redis), or set one; while `npm start` runs, its Redis is REDIS_URL=$(cat .data/redis.url)'
  );
}

/** Exactly one of the three says where Redis is; the Sentinel and password settings must fit it. */
function redisProblems(v: Record<string, unknown>): string[] {
  const given = WHERE_REDIS.filter((key) => v[key] !== undefined);
  if (given.length === 0) return [missingRedis(v.NODE_ENV === 'production')];
  const problems: string[] = [];
  if (given.length > 1)
    problems.push(`set exactly one of REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES, not ${given.join(' and ')}`);
  const sentinel = v.REDIS_SENTINELS !== undefined;
  if (sentinel && v.REDIS_SENTINEL_NAME === undefined) problems.push('REDIS_SENTINELS needs REDIS_SENTINEL_NAME');
  for (const key of ['REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD'])
    if (!sentinel && v[key] !== undefined) problems.push(`${key} is set without REDIS_SENTINELS`);
  if (v.REDIS_URL !== undefined && v.REDIS_PASSWORD !== undefined)
    problems.push('REDIS_PASSWORD is for REDIS_SENTINELS or REDIS_CLUSTER_NODES; put the password in REDIS_URL');
  return problems;
}

function validated(env: NodeJS.ProcessEnv): EnvValues {
  const values = withDefaults(pickKnownKeys(env));
  const problems = redisProblems(values);
  if (checkEnv.Check(values) && problems.length === 0) return values;
  problems.push(...[...checkEnv.Errors(values)].map((e) => `${e.instancePath.slice(1) || 'env'} ${e.message}`));
  throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}

function redisTopology(v: EnvValues): RedisTopology {
  const list = (key: 'REDIS_SENTINELS' | 'REDIS_CLUSTER_NODES', value: string) => {
    try {
      return Object.freeze(parseHostPorts(value));
    } catch (error) {
      throw new ConfigError(`Invalid configuration:\n  ${key} has ${(error as Error).message}`);
    }
  };
  if (v.REDIS_SENTINELS !== undefined)
    return Object.freeze({
      kind: 'sentinel',
      sentinels: list('REDIS_SENTINELS', v.REDIS_SENTINELS),
      name: v.REDIS_SENTINEL_NAME ?? '',
      sentinelPassword: v.REDIS_SENTINEL_PASSWORD,
      password: v.REDIS_PASSWORD,
    });
  if (v.REDIS_CLUSTER_NODES !== undefined)
    return Object.freeze({
      kind: 'cluster',
      nodes: list('REDIS_CLUSTER_NODES', v.REDIS_CLUSTER_NODES),
      password: v.REDIS_PASSWORD,
    });
  return Object.freeze({ kind: 'single', url: v.REDIS_URL ?? '' });
}

/** BullMQ keeps each queue's keys in one slot only when the prefix is a hash tag. */
function queuePrefixFor(topology: RedisTopology, prefix: string): string {
  return topology.kind === 'cluster' && !/\{.+\}/.test(prefix) ? `{${prefix}}` : prefix;
}

/** Reads and checks the environment once; the result is frozen. Throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const v = validated(env);
  if ((v.VAPID_PUBLIC_KEY === undefined) !== (v.VAPID_PRIVATE_KEY === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (then they are generated once and kept)',
    );
  }
  const allowlist = parseOrigins(v.PUSH_ENDPOINT_ALLOWLIST);
  const topology = redisTopology(v);
  return Object.freeze({
    port: v.PORT,
    host: v.HOST,
    redis: Object.freeze({
      topology,
      waitReplicas: v.REDIS_WAIT_REPLICAS,
      waitTimeoutMs: v.REDIS_WAIT_TIMEOUT_MS,
    }),
    keyPrefix: v.KEY_PREFIX,
    queuePrefix: queuePrefixFor(topology, v.QUEUE_PREFIX),
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
    media: Object.freeze({ dir: v.MEDIA_DIR, maxBytes: v.MEDIA_MAX_BYTES }),
    embeds: Object.freeze({ mastodonHosts: Object.freeze(parseMastodonHosts(v.EMBED_MASTODON_HOSTS)) }),
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

/** Hostnames, lower-cased; each must be a public one that no other provider owns (src/shared/embeds.ts). */
function parseMastodonHosts(list: string): string[] {
  const hosts = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const host of hosts) {
    const problem = mastodonHostProblem(host);
    if (problem)
      throw new ConfigError(`Invalid configuration:\n  EMBED_MASTODON_HOSTS has "${host}", which ${problem}`);
  }
  return [...new Set(hosts)];
}
