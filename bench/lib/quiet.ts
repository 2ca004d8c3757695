/**
 * Other work on the machine (a test run, a browser) skews every figure on two cores. Between
 * scenarios none of our processes run, so whatever keeps the CPUs busy then is someone else's:
 * wait a bounded time for it to stop, and say so in the output when it does not.
 */
import { readFileSync } from 'node:fs';
import { sleep } from './clock.ts';
import { log } from './report.ts';

function cpuTimes(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

/** Share of all cores busy over `ms`, 0..1. */
export async function machineBusy(ms = 2_000): Promise<number> {
  const a = cpuTimes();
  await sleep(ms);
  const b = cpuTimes();
  return b.total === a.total ? 0 : (b.busy - a.busy) / (b.total - a.total);
}

/** Waits up to `maxWaitMs` for the machine to be under `threshold` busy; returns the last reading. */
export async function waitForQuiet(maxWaitMs = 90_000, threshold = 0.15): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  let busy = await machineBusy();
  if (busy > threshold)
    log(
      `machine ${(busy * 100).toFixed(0)} % busy with other processes; waiting up to ${maxWaitMs / 1000} s for it to calm down`,
    );
  while (busy > threshold && Date.now() < deadline) busy = await machineBusy(3_000);
  if (busy > threshold)
    log(
      `WARNING: other processes kept the machine ${(busy * 100).toFixed(0)} % busy; this scenario's figures are skewed`,
    );
  return busy;
}
