/**
 * Every child process the bench starts is tracked here, so a finished scenario, an error, Ctrl-C
 * or an unexpected exit of the bench itself leaves nothing running.
 */
import type { ChildProcess } from 'node:child_process';
import { isRunning, spawnNode, stopChild } from '../../scripts/lib/processes.ts';

export { ROOT } from '../../scripts/lib/processes.ts';
const running = new Set<ChildProcess>();

/** Also for processes started elsewhere (the private redis-server), so they are stopped too. */
export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export function exited(child: ChildProcess): boolean {
  return !isRunning(child);
}

/** A bench/ script as a child with an IPC channel (see rpc.ts); its output goes to ours. */
export function forkBench(script: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return track(spawnNode(`bench/${script}`, { env, output: 'inherit', ipc: true }).child);
}

/**
 * An API or worker process, started as `npm run start:api` / `start:worker` start them (and as
 * the tests do), plus optional node flags such as --cpu-prof. Its logs go to a file: piping them
 * into the bench would charge the bench for every log line.
 */
export function spawnEntry(
  entry: 'src/main.ts' | 'workers/main.ts',
  env: NodeJS.ProcessEnv,
  logFile: string,
  nodeArgs: string[] = [],
): ChildProcess {
  return track(spawnNode(entry, { env, output: { file: logFile }, nodeArgs }).child);
}

/** SIGTERM (our processes shut down gracefully and write their CPU profile), SIGKILL after graceMs. */
export function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  return stopChild(child, { graceMs });
}

const cleanups = new Set<() => void>();

/** Runs after every process is stopped (e.g. removing a private Redis's data folder on Ctrl-C). */
export function atCleanup(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopProcess(child, 5_000)));
  for (const cleanup of cleanups) cleanup();
  cleanups.clear();
}

/** Last resort from process.on('exit'), where nothing asynchronous runs any more. */
export function killAllNow(): void {
  for (const child of running) if (!exited(child)) child.kill('SIGKILL');
}
