/**
 * Plain-text tables and the list of the targets. Benchmarks report; they assert nothing,
 * so a missed target is printed as "not met" and the run still exits 0.
 */

export interface Target {
  scenario: string;
  target: string;
  measured: string;
  /** undefined: not measured in this run (e.g. 20k readers without --readers 20000). */
  met: boolean | undefined;
}

const targets: Target[] = [];

export function table(title: string, headers: string[], rows: string[][], notes: string[] = []): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  for (const note of notes) console.log(`  note: ${note}`);
}

export function target(entry: Target): void {
  targets.push(entry);
  const verdict = entry.met === undefined ? 'not measured' : entry.met ? 'met' : 'NOT MET';
  console.log(`  target [${entry.scenario}] ${entry.target}: ${entry.measured} → ${verdict}`);
}

export function printTargets(): void {
  if (targets.length === 0) return;
  table(
    'Targets from the issue (reported, not asserted)',
    ['scenario', 'target', 'measured', 'verdict'],
    targets.map((t) => [
      t.scenario,
      t.target,
      t.measured,
      t.met === undefined ? 'not measured' : t.met ? 'met' : 'NOT MET',
    ]),
  );
}

export function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}
