import { dateTimeFormat } from "./date-time";
import { onFirstUse } from "./first-use";

/**
 * `Nov 25, 18:24:31`: an event in a log or a table (to the second, no year), in the viewer's time
 * zone or in `timeZone`. Put the ISO string in the element's `dateTime`/`title`.
 */
export const formatTimestamp = dateTimeFormat({
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** `Nov 25, 2026, 18:24`: a date in prose (customer since, expires, revoked on), viewer's zone or `timeZone`. */
export const formatDate = dateTimeFormat({
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

const relative = onFirstUse(() => new Intl.RelativeTimeFormat("en", { numeric: "auto" }));
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Infinity],
];

/** `3 minutes ago`, `in 2 days`, `now`. */
export function timeFromNow(iso: string, now = Date.now()): string {
  let value = (Date.parse(iso) - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative().format(Math.round(value), unit);
    value /= size;
  }
  return relative().format(Math.round(value), "year");
}

/**
 * For LocalTime: `3 minutes ago` in the browser; in the server's HTML (rendered a moment earlier, in
 * no viewer's zone) the full date in `timeZone`, so hydration matches whenever it happens.
 */
export function relativeOrDate(date: Date, timeZone?: string): string {
  return timeZone ? formatDate(date, timeZone) : timeFromNow(date.toISOString());
}
