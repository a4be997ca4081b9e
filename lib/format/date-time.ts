/**
 * A date/time formatter over `options` (en-US): `format(iso)` in the viewer's time zone, or
 * `format(iso, timeZone)` in another (the server renders UTC, the browser its own zone).
 * The hour is always `hourCycle: "h23"`, never `hour12: false`, which ICU versions disagree on at
 * midnight (Node "24:05", Chromium "00:05"): a hydration mismatch.
 *
 * Each `Intl.DateTimeFormat` is made on first use and kept, one per time zone: making one costs ICU
 * several milliseconds (the first one of a page far more), so a page pays only for the formats it shows,
 * and a hydrating page formatting every time in the server's zone makes that formatter once, not per time.
 */
export function dateTimeFormat(
  options: Intl.DateTimeFormatOptions,
): (iso: string | Date, timeZone?: string) => string {
  const withHour = { ...options, hourCycle: "h23" } as const;
  // "" is the viewer's own zone. Bounded by the zones there are: an unknown one throws before it is kept.
  const byZone = new Map<string, Intl.DateTimeFormat>();
  return (iso, timeZone) => {
    const date = typeof iso === "string" ? new Date(iso) : iso;
    let format = byZone.get(timeZone ?? "");
    if (!format) {
      format = new Intl.DateTimeFormat("en-US", timeZone ? { ...withHour, timeZone } : withHour);
      byZone.set(timeZone ?? "", format);
    }
    return format.format(date);
  };
}
