/**
 * Child processes for scripts/, tests/ and bench/: one way to start a Node entry (the API, the
 * worker, the launcher, a bench script) through tsx, collect or route its output, wait until it
 * is ready, and stop it (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** `capture`: kept for output(); `inherit`: our stdout/stderr; `{ file }`: appended to a log file. */
export type Output = 'capture' | 'inherit' | { file: string };

export interface SpawnNodeOptions {
  env?: NodeJS.ProcessEnv;
  output?: Output;
  /** Flags for node itself, before the entry (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Its own process group, so a terminal's Ctrl-C reaches only the parent, which stops children in order. */
  detached?: boolean;
  /** An IPC channel, as fork() opens one. */
  ipc?: boolean;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface NodeProcess {
  child: ChildProcess;
  /** What it wrote to stdout and stderr so far (with `capture`; otherwise only a spawn error). */
  output(): string;
  exited: Promise<Exit>;
  kill(signal: NodeJS.Signals): void;
}

export interface StopOptions {
  /** The first signal; SIGKILL follows after graceMs if the process is still there. */
  signal?: NodeJS.Signals;
  graceMs?: number;
  /** Called just before the SIGKILL, e.g. to say so. */
  onKill?: () => void;
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function stdioFor(output: Output, ipc: boolean): { stdio: StdioOptions; fd?: number } {
  const extra = ipc ? ['ipc' as const] : [];
  if (output === 'capture') return { stdio: ['ignore', 'pipe', 'pipe', ...extra] };
  if (output === 'inherit') return { stdio: ['ignore', 'inherit', 'inherit', ...extra] };
  const fd = openSync(output.file, 'a');
  return { stdio: ['ignore', fd, fd, ...extra], fd };
}

/** Resolves once the process is gone, also when it never started (then code and signal are null). */
export function watchExit(child: ChildProcess, onError: (error: Error) => void = () => undefined): Promise<Exit> {
  return new Promise((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
    child.once('error', (error) => {
      onError(error);
      if (child.pid === undefined) done({ code: null, signal: null });
    });
  });
}

/** Any executable, e.g. redis-server, with the same exit and error handling as spawnNode. */
export function spawnProgram(command: string, args: string[], options: SpawnNodeOptions = {}): NodeProcess {
  const { stdio, fd } = stdioFor(options.output ?? 'capture', options.ipc ?? false);
  let output = '';
  let child: ChildProcess;
  try {
    child = spawn(command, args, { cwd: ROOT, env: options.env ?? process.env, stdio, detached: options.detached });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = watchExit(child, (error) => (output += `\n${command}: ${error.message}\n`));
  return { child, output: () => output, exited, kill: (signal) => child.kill(signal) };
}

/** A TypeScript entry (path from the project root) in `node --import tsx`, as the npm scripts run them. */
export function spawnNode(entry: string, options: SpawnNodeOptions = {}): NodeProcess {
  return spawnProgram(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', entry], options);
}

/** SIGTERM (our processes and Redis shut down gracefully), SIGKILL after graceMs; resolves when gone. */
export async function stopChild(child: ChildProcess, options: StopOptions = {}): Promise<void> {
  if (!isRunning(child)) return;
  const gone = new Promise<void>((done) => child.once('exit', () => done()));
  const timer = setTimeout(() => {
    options.onKill?.();
    child.kill('SIGKILL');
  }, options.graceMs ?? 15_000);
  child.kill(options.signal ?? 'SIGTERM');
  await gone;
  clearTimeout(timer);
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** Polls `ready` until it is true; fails as soon as the process exits, or when time runs out. */
export async function waitUntilReady(
  proc: Pick<NodeProcess, 'child' | 'output'>,
  what: string,
  ready: () => boolean | Promise<boolean>,
  { timeoutMs = 30_000, intervalMs = 50 }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isRunning(proc.child)) {
      const how = proc.child.signalCode ?? `code ${proc.child.exitCode}`;
      throw new Error(`the process exited (${how}) before ${what}: ${proc.output()}`);
    }
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s: ${proc.output()}`);
    await sleep(intervalMs);
  }
}

/** Ready when `url` answers 2xx (e.g. /healthz). */
export function waitForHttp(url: string, proc: Pick<NodeProcess, 'child' | 'output'>, options?: WaitOptions) {
  const answers = async () => {
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
    } catch {
      return false; // not listening yet
    }
  };
  return waitUntilReady(proc, `${url} answered`, answers, options);
}

/** Ready when its captured output contains `line` (e.g. a launcher's "is running"). */
export function waitForOutput(proc: NodeProcess, line: string | RegExp, options?: WaitOptions): Promise<void> {
  const seen = () => (typeof line === 'string' ? proc.output().includes(line) : line.test(proc.output()));
  return waitUntilReady(proc, `it printed ${String(line)}`, seen, options);
}
