import { dateTimeFormat } from "./date-time";
import { formatCount } from "./credits";

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

type Unit = "second" | "minute" | "hour" | "day" | "month" | "year";

/** The words Intl.RelativeTimeFormat("en", { numeric: "auto" }) uses for −1, 0 and 1 of a unit. */
const NEAR: Record<Unit, [string, string, string]> = {
  second: ["1 second ago", "now", "in 1 second"],
  minute: ["1 minute ago", "this minute", "in 1 minute"],
  hour: ["1 hour ago", "this hour", "in 1 hour"],
  day: ["yesterday", "today", "tomorrow"],
  month: ["last month", "this month", "next month"],
  year: ["last year", "this year", "next year"],
};

/**
 * What `new Intl.RelativeTimeFormat("en", { numeric: "auto" }).format(value, unit)` says, without Intl
 * (a page's first Intl formatter costs ICU tens of milliseconds: see date-time.ts). Tested against Intl.
 */
function relative(value: number, unit: Unit): string {
  if (Math.abs(value) <= 1) return NEAR[unit][Math.round(value) + 1]!;
  const n = `${formatCount(Math.abs(value))} ${unit}s`;
  return value < 0 ? `${n} ago` : `in ${n}`;
}

const STEPS: [Unit, number][] = [
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
    if (Math.abs(value) < size) return relative(Math.round(value), unit);
    value /= size;
  }
  return relative(Math.round(value), "year");
}

/**
 * For LocalTime: `3 minutes ago` in the browser; in the server's HTML (rendered a moment earlier, in
 * no viewer's zone) the full date in `timeZone`, so hydration matches whenever it happens.
 */
export function relativeOrDate(date: Date, timeZone?: string): string {
  return timeZone ? formatDate(date, timeZone) : timeFromNow(date.toISOString());
}
