/**
 * Delivery measurements, shared by the delivery and cluster scenarios: a phase connects N readers
 * and measures rounds; a round sends an event, waits for every reader and turns arrivals into
 * latencies.
 */
import type { StoryEvent } from '../../src/domain/events.ts';
import { now, sleep } from '../lib/clock.ts';
import { sendJson, warm } from '../lib/http.ts';
import { cpuSeconds } from '../lib/proc-stat.ts';
import type { ReaderPool } from '../lib/reader-pool.ts';
import { int, spread, type Spread } from '../lib/stats.ts';

export interface DeliveryRound extends Spread {
  missing: number;
  cpuMs: number;
}

let counter = 0;

/**
 * WARM_UP + rounds sends. The first sends after a connect are several times slower (JIT in the
 * server, the worker and the generators, garbage from the connect burst), so they are not counted.
 */
export const WARM_UP = 5;

export async function measureRounds(
  pool: ReaderPool,
  serverPid: number,
  rounds: number,
  send: (id: string) => Promise<void>,
  warmUp = WARM_UP,
): Promise<DeliveryRound[]> {
  const results: DeliveryRound[] = [];
  for (let r = 1 - warmUp; r <= rounds; r++) {
    const id = `bench-${process.pid}-${++counter}`;
    const cpuBefore = cpuSeconds(serverPid);
    const t0 = now();
    await send(id);
    const { times, missing } = await pool.waitFor(id, 30_000);
    const cpuMs = (cpuSeconds(serverPid) - cpuBefore) * 1000;
    if (r > 0) results.push({ ...spread(times.map((t) => t - t0)), missing, cpuMs });
    await sleep(200);
  }
  return results;
}

/** The baseline's "post": the same event our readers received, with a fresh update id. */
export async function bareBroadcast(url: string, storyId: string, sample: StoryEvent, id: string): Promise<void> {
  const event = { ...sample, update: { ...sample.update, id } };
  const response = await sendJson('POST', `${url}/broadcast`, { storyId, event });
  if (response.status !== 204) throw new Error(`bare broadcast answered ${response.status}`);
}

export interface Phase {
  connected: number;
  rounds: DeliveryRound[];
  sample: StoryEvent | null;
  problems: string[];
}

/**
 * Connects N readers to one server, or spread over several (`url` as a list: generator process i
 * connects to url[i mod n]), subscribed to a story. Failed readers are reported, not thrown.
 */
export async function connectReaders(
  pool: ReaderPool,
  url: string | string[],
  storyId: string,
  n: number,
): Promise<{ connected: number; problems: string[] }> {
  // The editor's connection exists before the readers take the descriptors.
  for (const one of typeof url === 'string' ? [url] : url) await warm(`${one}/healthz`);
  const conn = await pool.connect({
    url,
    total: n,
    subscribe: { storyId },
    startAt: now(),
    rampMs: 0,
    concurrency: 64,
    trackSeqs: false,
  });
  return {
    connected: conn.connected,
    problems: conn.errors.slice(0, 1).map((e) => `${int(conn.failed)} readers failed, e.g. ${e}`),
  };
}

export function failed(error: unknown): string {
  return `could not measure: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Connects N readers (see connectReaders) and measures; a failure (e.g. out of file descriptors)
 * is reported, not thrown. `pid`: the process whose CPU per post is reported.
 */
export async function deliveryPhase(
  pool: ReaderPool,
  url: string | string[],
  pid: number,
  storyId: string,
  n: number,
  rounds: number,
  send: (id: string) => Promise<void>,
): Promise<Phase> {
  const { connected, problems } = await connectReaders(pool, url, storyId, n);
  try {
    return { connected, rounds: await measureRounds(pool, pid, rounds, send), sample: await pool.sample(), problems };
  } catch (error) {
    return { connected, rounds: [], sample: null, problems: [...problems, failed(error)] };
  } finally {
    await pool.disconnect();
  }
}
