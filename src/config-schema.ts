/**
 * The environment the API and the worker read: one TypeBox schema, the single source for
 * validation (src/config.ts) and for docs/configuration.md (`npm run docs:config`). Each entry's
 * `description` is its line in the docs; `defaultText` (Markdown) names a default that is computed.
 */
import { Type, type Static } from 'typebox';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const server = {
  NODE_ENV: Type.String({
    default: 'development',
    description:
      '`production` requires one of REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES; any other value is development',
  }),
  PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 3000,
    description: 'API HTTP port (`npm start` needs a fixed one, not 0)',
  }),
  HOST: Type.String({
    minLength: 1,
    default: '0.0.0.0',
    description: "Listen address of the API and of the worker's metrics server",
  }),
  KEY_PREFIX: Type.String({
    pattern: '^[A-Za-z0-9_.-]{1,32}:$',
    default: 'sp:',
    description: 'Prefix of every Stop Press key and pub/sub channel',
  }),
  QUEUE_PREFIX: Type.String({
    pattern: '^[A-Za-z0-9_.{}-]{1,40}$',
    default: 'sp-bull',
    description:
      'BullMQ key prefix. On Redis Cluster it is used in braces (`{sp-bull}`), a hash tag, as BullMQ requires',
  }),
  TRUST_PROXY: Type.String({
    pattern: '^(true|false|\\d{1,2}|[0-9A-Fa-f:./, ]+)$',
    default: 'false',
    description:
      'Proxies whose X-Forwarded-For is trusted for the client IP (rate limits): `false`, a hop count (`1`), ' +
      'comma-separated addresses/CIDRs, or `true` (any hop: safe only if the proxy replaces the header)',
  }),
  LOG_LEVEL: Type.Union(
    LOG_LEVELS.map((l) => Type.Literal(l)),
    { default: 'info', description: 'Log level of the API and the worker' },
  ),
  PUBLIC_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      defaultText: '`http://localhost:<PORT>`',
      description:
        'The address readers use: canonical URLs, feed links, push alert links; `https://` also turns on HSTS. ' +
        'Set it on API nodes and workers alike',
    }),
  ),
  CORS_ORIGINS: Type.String({
    default: '*',
    description: 'Origins allowed to call the HTTP API from a browser (comma-separated), or `*` for any',
  }),
  WRITE_RATE_PER_MINUTE: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 600,
    description: 'Writes (posts, edits, deletes, story changes) per editor token per minute',
  }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 15_000,
    description: 'Graceful-shutdown limit of the API and the worker; past it they exit 1',
  }),
};

const HOST_PORT_LIST =
  '^\\s*(\\[[0-9A-Fa-f:.]+\\]|[^\\s,:\\[\\]]+):\\d{1,5}(\\s*,\\s*(\\[[0-9A-Fa-f:.]+\\]|[^\\s,:\\[\\]]+):\\d{1,5})*\\s*$';

const HOST_PORT_TEXT = 'comma-separated `host:port` (IPv6 as `[::1]:port`)';

/** Exactly one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES says where Redis is (config.ts checks). */
const redis = {
  REDIS_URL: Type.Optional(
    Type.String({
      pattern: '^rediss?://',
      description: 'One Redis server (`redis://` or `rediss://`); see "Without REDIS_URL" above',
    }),
  ),
  REDIS_SENTINELS: Type.Optional(
    Type.String({
      pattern: HOST_PORT_LIST,
      allowedText: HOST_PORT_TEXT,
      description:
        'A primary with replicas under Redis Sentinel: the sentinels as `host:port,host:port,…`. ' +
        'The API and the worker ask them for the primary and follow a failover',
    }),
  ),
  REDIS_SENTINEL_NAME: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_.-]{1,64}$',
      description: 'The master name the sentinels monitor; required with REDIS_SENTINELS',
    }),
  ),
  REDIS_SENTINEL_PASSWORD: Type.Optional(
    Type.String({ minLength: 1, description: "The sentinels' own password (`requirepass` in sentinel.conf), if any" }),
  ),
  REDIS_PASSWORD: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Password of the Redis servers under REDIS_SENTINELS or REDIS_CLUSTER_NODES (a REDIS_URL carries its own)',
    }),
  ),
  REDIS_CLUSTER_NODES: Type.Optional(
    Type.String({
      pattern: HOST_PORT_LIST,
      allowedText: HOST_PORT_TEXT,
      description:
        'Redis Cluster 7 or newer: seed nodes as `host:port,host:port,…`. Story keys and channels are hash-tagged ' +
        'by story; BullMQ keys get a hash-tag prefix (QUEUE_PREFIX in braces)',
    }),
  ),
  REDIS_WAIT_REPLICAS: Type.Integer({
    minimum: 0,
    maximum: 16,
    default: 0,
    description:
      'Replicas that must hold an accepted write before the API answers 202 (Redis `WAIT`), and before the worker ' +
      'publishes an event or sends an alert. Unconfirmed in time: 503 `UNAVAILABLE`, and the client retries with the same id',
  }),
  REDIS_WAIT_TIMEOUT_MS: Type.Integer({
    minimum: 10,
    maximum: 60_000,
    default: 1_000,
    description: 'How long REDIS_WAIT_REPLICAS waits for the replicas to confirm',
  }),
};

const stories = {
  WORKER_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 256,
    default: 16,
    description: 'Story-ops jobs one worker process runs at once',
  }),
  WORKER_METRICS_PORT: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      description: 'Where a worker serves /metrics and /healthz (unset: not served; `0`: a free port)',
    }),
  ),
  LOG_MAX_EVENTS: Type.Integer({
    minimum: 100,
    maximum: 10_000_000,
    default: 100_000,
    description: 'Events kept per story log (approximate trim); a reader behind them must reload',
  }),
  REPLAY_MAX_EVENTS: Type.Integer({
    minimum: 10,
    maximum: 100_000,
    default: 5_000,
    description: 'The most events a resuming reader is sent; further behind, a fresh snapshot is cheaper',
  }),
  MAX_PINNED: Type.Integer({ minimum: 0, maximum: 50, default: 3, description: 'Pinned updates per story' }),
};

const push = {
  VAPID_PUBLIC_KEY: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{80,100}$',
      description:
        'VAPID public key (base64url); set both keys or neither (then a pair is generated once, kept in Redis)',
    }),
  ),
  VAPID_PRIVATE_KEY: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{40,50}$',
      description: 'VAPID private key (base64url), with the public key',
    }),
  ),
  VAPID_SUBJECT: Type.Optional(
    Type.String({
      pattern: '^(mailto:|https://)',
      defaultText: '`PUBLIC_URL` if https, else `mailto:stoppress@localhost`',
      description: 'Contact sent to push services; set a real one in production',
    }),
  ),
  PUSH_ENDPOINT_ALLOWLIST: Type.String({
    default: '',
    description: 'Origins (comma-separated) that may be push endpoints although they fail the SSRF checks',
  }),
  PUSH_TTL_SECONDS: Type.Integer({
    minimum: 0,
    maximum: 28 * 24 * 3600,
    default: 4 * 3600,
    description: 'How long a push service keeps an alert for an offline device',
  }),
  PUSH_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 256,
    description: 'Push requests in flight per worker process',
  }),
  PUSH_PER_ORIGIN_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 64,
    description: 'Of those, at most this many to one push service',
  }),
  PUSH_MAX_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 20,
    default: 5,
    description: 'Tries per alert and device for 429, 5xx and network errors',
  }),
  PUSH_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    default: 10_000,
    description: 'Connect, headers and body timeout of a push request',
  }),
  PUSH_BATCH_SIZE: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 500,
    description: 'Subscriptions per batch job',
  }),
  PUSH_ENCRYPT_THREADS: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 64,
      defaultText: 'one per core',
      description: 'Worker threads per worker process that encrypt alert payloads (`0`: on the main thread)',
    }),
  ),
  PUSH_SUBSCRIBE_RATE_PER_MINUTE: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 30,
    description: 'Push subscription writes per client IP per minute',
  }),
  PUSH_RETRY_BASE_MS: Type.Integer({
    minimum: 10,
    maximum: 600_000,
    default: 1_000,
    description: 'Base of the exponential retry backoff of push requests (capped at 15 min)',
  }),
};

const media = {
  MEDIA_DIR: Type.String({
    minLength: 1,
    default: '.data/media',
    description:
      'Folder of uploaded photos (relative to the working directory); several API nodes need it on a shared volume',
  }),
  MEDIA_MAX_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 200 * 1024 * 1024,
    default: 20 * 1024 * 1024,
    description: 'Largest photo upload in bytes; a bigger one is refused while it streams in (413)',
  }),
};

const embeds = {
  EMBED_MASTODON_HOSTS: Type.String({
    default: '',
    description:
      'Mastodon instances (comma-separated public hostnames, e.g. `mastodon.social,journa.host`) whose posts get a ' +
      '"Load" button; each is added to the story pages\' CSP `frame-src`. Posts from other instances stay a link',
  }),
};

export const ENV_SCHEMA = Type.Object({ ...server, ...redis, ...stories, ...push, ...media, ...embeds });

export type EnvValues = Static<typeof ENV_SCHEMA>;
