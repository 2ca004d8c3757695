/** The header of every run: what the figures were measured on. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

export function openFilesLimit(pid: number | 'self' = 'self'): { soft: number; hard: number } {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  const match = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(limits);
  const parse = (v: string | undefined): number => (v === undefined || v === 'unlimited' ? Infinity : Number(v));
  return { soft: parse(match?.[1]), hard: parse(match?.[2]) };
}

function redisVersion(): string {
  try {
    return /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? '?';
  } catch {
    return 'not found';
  }
}

export function machineInfo(): string[] {
  const cores = cpus();
  const files = openFilesLimit();
  return [
    `date        ${new Date().toISOString()}`,
    `cpu         ${cores[0]?.model ?? '?'} × ${cores.length} cores`,
    `memory      ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `os          Linux ${release()}`,
    `node        ${process.version}; redis-server ${redisVersion()}`,
    `open files  soft ${files.soft}, hard ${files.hard} (per process; Node raises soft to hard at start)`,
    `note        load generators, servers and redis-server all share these ${cores.length} cores; every`,
    `            figure is loopback-only (127.0.0.1) and includes the generators' own CPU use.`,
  ];
}
