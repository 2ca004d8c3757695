/** One delivery measurement: send an event, wait for every reader, turn arrivals into latencies. */
import type { StoryEvent } from '../../src/domain/events.ts';
import { now, sleep } from '../lib/clock.ts';
import { sendJson } from '../lib/http.ts';
import { cpuSeconds } from '../lib/proc-stat.ts';
import type { ReaderPool } from '../lib/reader-pool.ts';
import { spread, type Spread } from '../lib/stats.ts';

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
): Promise<DeliveryRound[]> {
  const results: DeliveryRound[] = [];
  for (let r = 1 - WARM_UP; r <= rounds; r++) {
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
