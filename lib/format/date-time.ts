/**
 * A date/time formatter over `options` (en-US): `format(iso)` in the viewer's time zone, or
 * `format(iso, timeZone)` in another (the server renders UTC, the browser its own zone).
 * The hour is always `hourCycle: "h23"`, never `hour12: false`, which ICU versions disagree on at
 * midnight (Node "24:05", Chromium "00:05"): a hydration mismatch.
 */
export function dateTimeFormat(
  options: Intl.DateTimeFormatOptions,
): (iso: string | Date, timeZone?: string) => string {
  const withHour = { ...options, hourCycle: "h23" } as const;
  const local = new Intl.DateTimeFormat("en-US", withHour);
  return (iso, timeZone) => {
    const date = typeof iso === "string" ? new Date(iso) : iso;
    return timeZone
      ? new Intl.DateTimeFormat("en-US", { ...withHour, timeZone }).format(date)
      : local.format(date);
  };
}
