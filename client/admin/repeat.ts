/**
 * Runs a task now and again `intervalMs` after each run finishes (never two at once, so a slow
 * server is not piled on), until stopped or until the task returns 'stop'.
 */
export type RepeatResult = 'again' | 'stop';

export function repeat(task: () => Promise<RepeatResult>, intervalMs: number): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async (): Promise<void> => {
    if (stopped) return;
    const result = await task().catch((): RepeatResult => 'again');
    if (!stopped && result === 'again') timer = setTimeout(() => void run(), intervalMs);
  };
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
