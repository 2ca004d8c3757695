/** "3 min ago" labels that keep ticking; the absolute time stays in the title attribute. */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];
const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function relativeLabel(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'minute') return format.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

export function refreshRelativeTimes(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLTimeElement>('time[data-relative]')) {
    const iso = element.dateTime;
    element.textContent = relativeLabel(iso);
    element.title = absolute.format(new Date(iso));
  }
}

export function tickRelativeTimes(intervalMs = 30_000): void {
  refreshRelativeTimes();
  setInterval(() => refreshRelativeTimes(), intervalMs);
}
