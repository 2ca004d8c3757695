/**
 * Kernel TCP counters (Linux, system-wide). ListenOverflows counts connections dropped because a
 * listening socket's accept queue was full: the server did not accept fast enough for its backlog.
 */
import { readFileSync } from 'node:fs';

export function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('TcpExt:'));
  const [names, values] = [lines[0]?.split(/\s+/) ?? [], lines[1]?.split(/\s+/) ?? []];
  return Number(values[names.indexOf('ListenOverflows')] ?? Number.NaN);
}
