/**
 * The HTTP POST load generator, in its own process. `open` sends at a fixed rate whatever the
 * answers do (open loop), and measures each latency from the moment the request was due, so a
 * slow server cannot hide its queueing delay by slowing the generator down. `burst` sends a fixed
 * number as fast as `concurrency` requests in flight allow (closed loop).
 */
import { Pool } from 'undici';
import { now, sleep } from '../lib/clock.ts';
import { serve } from '../lib/rpc.ts';
import { spread, type Spread } from '../lib/stats.ts';

interface Target {
  origin: string;
  paths: string[];
  headers: Record<string, string>;
  body: string;
  connections: number;
}
export interface OpenParams extends Target {
  rate: number;
  durationMs: number;
}
export interface BurstParams extends Target {
  total: number;
  concurrency: number;
}
export interface LoadResult extends Spread {
  sent: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  elapsedMs: number;
  perSecond: number;
  maxLagMs: number;
}

type Send = (i: number, due: number) => Promise<void>;

async function load(target: Target, total: number, schedule: (send: Send) => Promise<void>): Promise<LoadResult> {
  const pool = new Pool(target.origin, { connections: target.connections, keepAliveTimeout: 30_000 });
  const latencies = new Float64Array(total);
  const statuses: Record<string, number> = {};
  let ok = 0;
  let maxLagMs = 0;
  const send: Send = async (i, due) => {
    maxLagMs = Math.max(maxLagMs, now() - due);
    let status = 'error';
    try {
      const response = await pool.request({
        method: 'POST',
        path: target.paths[i % target.paths.length]!,
        headers: target.headers,
        body: target.body,
      });
      await response.body.dump();
      status = String(response.statusCode);
      if (response.statusCode < 300) ok++;
    } finally {
      latencies[i] = now() - due;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const start = now();
  await schedule(send);
  const elapsedMs = now() - start;
  await pool.close();
  return {
    ...spread(latencies),
    sent: total,
    ok,
    failed: total - ok,
    statuses,
    elapsedMs,
    perSecond: (total / elapsedMs) * 1000,
    maxLagMs,
  };
}

async function open(params: OpenParams): Promise<LoadResult> {
  const total = Math.round((params.rate * params.durationMs) / 1000);
  const interval = 1000 / params.rate;
  return load(params, total, async (send) => {
    const start = now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + i * interval;
      await sleep(due - now());
      inFlight.push(send(i, due).catch(() => undefined));
    }
    await Promise.all(inFlight);
  });
}

async function burst(params: BurstParams): Promise<LoadResult> {
  let next = 0;
  return load(params, params.total, async (send) => {
    const lane = async (): Promise<void> => {
      while (next < params.total) await send(next++, now()).catch(() => undefined);
    };
    await Promise.all(Array.from({ length: params.concurrency }, lane));
  });
}

serve({ open, burst });
