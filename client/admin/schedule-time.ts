/**
 * Times for scheduling in the editor's own time zone: a `datetime-local` value (a wall-clock time
 * with no zone) becomes an ISO string with the offset the browser uses at that moment, which is
 * what the API wants; and a countdown readable at a glance.
 */

function pad(n: number): string {
  return String(Math.trunc(Math.abs(n))).padStart(2, '0');
}

/** "2026-12-06T14:00" (local) → "2026-12-06T14:00:00+01:00"; null if not a valid time. */
export function localToIsoWithOffset(value: string): string | null {
  const at = new Date(value);
  if (!value || Number.isNaN(at.getTime())) return null;
  // getTimezoneOffset is minutes *behind* UTC, at that date (so summer time is right).
  const ahead = -at.getTimezoneOffset();
  const sign = ahead >= 0 ? '+' : '-';
  const date = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  return `${date}T${time}${sign}${pad(ahead / 60)}:${pad(ahead % 60)}`;
}

/** An ISO time → the `datetime-local` value showing it in the browser's zone. */
export function isoToLocalInput(iso: string): string {
  const at = new Date(iso);
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** A local input value `minutes` from now, the default of the composer's schedule field. */
export function localInputIn(minutes: number, now = Date.now()): string {
  return isoToLocalInput(new Date(now + minutes * 60_000).toISOString());
}

/** "in 2 h 05 min", "in 4 min 09 s", "in 12 s", or "due now". */
export function countdown(targetMs: number, now = Date.now()): string {
  const seconds = Math.ceil((targetMs - now) / 1000);
  if (seconds <= 0) return 'due now';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return `in ${d} d ${h} h`;
  if (h > 0) return `in ${h} h ${pad(m)} min`;
  if (m > 0) return `in ${m} min ${pad(s)} s`;
  return `in ${s} s`;
}
