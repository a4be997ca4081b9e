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
