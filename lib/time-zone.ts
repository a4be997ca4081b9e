/**
 * The viewer's time zone, as the browser tells the server in a cookie (set by `TimeZoneCookie` after
 * the first load), so server-rendered times are already in the viewer's zone. Only a zone this
 * runtime knows is accepted; anything else reads as no zone (the HTML then shows UTC, marked).
 */
export const TIME_ZONE_COOKIE = "tz";

export function validTimeZone(value: string | undefined | null): string | null {
  if (!value || value.length > 64) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

// Bounded by the zones there are: an unknown one throws before it is kept.
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/**
 * The offset of `zone` from UTC at `at`, in minutes as `Date#getTimezoneOffset` counts them (UTC minus
 * local: 60 for UTC−1, −540 for Tokyo). The browser compares it with its own to tell whether the
 * cookie's zone is still its zone without an Intl formatter of its own (TimeZoneProvider).
 */
export function zoneOffsetMinutes(zone: string, at = new Date()): number {
  // Once per zone, not per page the console layout renders.
  let wallClock = wallClocks.get(zone);
  if (!wallClock) {
    wallClock = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    wallClocks.set(zone, wallClock);
  }
  const parts = wallClock.formatToParts(at);
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    field("year"),
    field("month") - 1,
    field("day"),
    field("hour"),
    field("minute"),
    field("second"),
  );
  return Math.round((Math.floor(at.getTime() / 1000) * 1000 - wall) / 60_000);
}
