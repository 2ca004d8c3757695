/**
 * One clock for every bench process. performance.timeOrigin is the wall-clock time the process
 * started, at sub-millisecond resolution, so `now()` in the poster and in a reader process on the
 * same machine can be subtracted directly (Date.now() alone would round to whole milliseconds).
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves at once for ms ≤ 0: a schedule that is behind must not lose another timer tick. */
export function sleep(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it is truthy; a bound turns a hang into an error, so every bench ends. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
