/**
 * A running Stop Press for a test: API nodes listening on loopback and workers, built with the
 * same factories the processes use, around the test run's redis-server.
 */
import { pino } from 'pino';
import { io as connect } from 'socket.io-client';
import { createApiNode, type ApiNode } from '../../src/api-node.ts';
import type { Config } from '../../src/config.ts';
import { createRedis, type RedisClient } from '../../src/redis/connections.ts';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { createWorkerNode, type WorkerNode } from '../../workers/worker-node.ts';
import type { ReaderSocket } from '../../client/lib/story-feed.ts';
import { testConfig } from './test-config.ts';

export interface Stack {
  config: Config;
  apis: ApiNode[];
  urls: string[];
  workers: WorkerNode[];
  token: string;
  /** A client of the stack's Redis, whichever topology it is. */
  redis: RedisClient;
  /** JSON request against the first API node (or `base`). */
  request(method: string, path: string, options?: RequestOptions): Promise<JsonResponse>;
  reader(url?: string): ReaderSocket;
  startWorker(): Promise<WorkerNode>;
  close(): Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  token?: string | null;
  headers?: Record<string, string>;
  base?: string;
}

export interface JsonResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

const silent = pino({ level: process.env.TEST_LOG ?? 'silent' });

export async function startStack(
  options: { apis?: number; workers?: number; env?: Record<string, string>; editor?: string; config?: Config } = {},
): Promise<Stack> {
  // A given config (Sentinel, Cluster) replaces the run's redis-server.
  const config = options.config ?? testConfig(options.env);
  const redis = createRedis(config.redis.topology, silent, 'test');
  const { token } = await createEditorStore(redis, createKeys(config.keyPrefix)).add(
    options.editor ?? 'tester',
    'admin',
  );
  const apis: ApiNode[] = [];
  const urls: string[] = [];
  for (let i = 0; i < (options.apis ?? 1); i++) {
    const node = await createApiNode(config, silent);
    await node.app.listen({ port: 0, host: '127.0.0.1' });
    const address = node.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    apis.push(node);
    urls.push(`http://127.0.0.1:${address.port}`);
  }
  const workers: WorkerNode[] = [];
  const sockets: ReaderSocket[] = [];
  const startWorker = async (): Promise<WorkerNode> => {
    const node = await createWorkerNode(config, silent);
    workers.push(node);
    return node;
  };
  for (let i = 0; i < (options.workers ?? 1); i++) await startWorker();

  return {
    config,
    apis,
    urls,
    workers,
    token,
    redis,
    startWorker,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const auth = opts.token === undefined ? token : opts.token;
      if (auth) headers.authorization = `Bearer ${auth}`;
      let body: string | undefined = opts.rawBody;
      if (opts.body !== undefined) body = JSON.stringify(opts.body);
      if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const response = await fetch(`${opts.base ?? urls[0]}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON; keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    reader(url = urls[0]) {
      const socket: ReaderSocket = connect(url!, {
        transports: ['websocket'],
        reconnectionDelay: 100,
        reconnectionDelayMax: 500,
      });
      sockets.push(socket);
      return socket;
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(apis.map((a) => a.close()));
      redis.disconnect();
    },
  };
}

/**
 * Polls until `check` returns a truthy value. The bound only turns a hang into a readable
 * failure; no test asserts on how long something took.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what = 'condition',
  boundMs = 30_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
