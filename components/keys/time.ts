const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Infinity],
];

/** "3 minutes ago", "in 2 days". */
export function timeFromNow(iso: string, now = Date.now()): string {
  let value = (Date.parse(iso) - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return relative.format(Math.round(value), "year");
}

/** "Dec 4, 2026, 11:45 PM" in the viewer's time zone, or in `timeZone`. */
export function fullDate(iso: string | Date, timeZone?: string): string {
  return new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone });
}

/**
 * For LocalTime: "3 minutes ago" in the browser; in the server's HTML (rendered a moment earlier, in
 * no viewer's zone) the full date in `timeZone`, so hydration matches whenever it happens.
 */
export function relativeOrFullDate(date: Date, timeZone?: string): string {
  return timeZone ? fullDate(date, timeZone) : timeFromNow(date.toISOString());
}
