/** Percentiles, medians and number formatting for the result tables. */

/** Nearest-rank percentile of unsorted values (p in 0..100); NaN for no values. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: ArrayLike<number>): number {
  return percentile(values, 50);
}

export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

export function spread(values: ArrayLike<number>): Spread {
  return { p50: percentile(values, 50), p99: percentile(values, 99), max: percentile(values, 100) };
}

/** Median of each field over rounds: every printed figure is one of these. */
export function medianOf<T extends object>(rounds: T[], key: keyof T): number {
  return median(rounds.map((round) => Number(round[key])));
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

export function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';
}

export function ratio(ours: number, baseline: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(baseline) || baseline === 0) return '—';
  return `${(ours / baseline).toFixed(2)}×`;
}
