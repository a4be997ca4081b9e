/**
 * Date/time formatters, en-US on a 24-hour clock: `format(iso)` in the viewer's time zone, or
 * `format(iso, timeZone)` in another (the server renders UTC or the zone in the viewer's cookie, the
 * browser its own zone after hydration).
 *
 * The viewer's zone and UTC are formatted from the Date's own fields, without Intl: a page's first
 * Intl formatter makes ICU load its locale data, 30–85 ms of one main-thread task in Chromium on this
 * 2-core machine (a fresh tab, each kind of formatter measured first) — the longest task after
 * hydration on pages full of times. Those two zones are all the browser formats in; named zones (the
 * server's HTML for a viewer's cookie) go through `Intl.DateTimeFormat`, one kept per zone. Both ways
 * give the same text (format.test.ts checks every field set here against Intl).
 *
 * The hour is always 00–23 (Intl's `hourCycle: "h23"`, never `hour12: false`, which ICU versions
 * disagree on at midnight: Node "24:05", Chromium "00:05" — a hydration mismatch).
 */
export type DateTimeFields = {
  year?: "numeric";
  month?: "short";
  day?: "numeric";
  hour?: "2-digit";
  minute?: "2-digit";
  second?: "2-digit";
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

function byFields(fields: DateTimeFields, date: Date, utc: boolean): string {
  const monthDay = [
    fields.month ? MONTHS[utc ? date.getUTCMonth() : date.getMonth()] : "",
    fields.day ? String(utc ? date.getUTCDate() : date.getDate()) : "",
  ]
    .filter(Boolean)
    .join(" ");
  const year = fields.year ? String(utc ? date.getUTCFullYear() : date.getFullYear()) : "";
  const time = [
    fields.hour ? pad(utc ? date.getUTCHours() : date.getHours()) : "",
    fields.minute ? pad(utc ? date.getUTCMinutes() : date.getMinutes()) : "",
    fields.second ? pad(utc ? date.getUTCSeconds() : date.getSeconds()) : "",
  ]
    .filter(Boolean)
    .join(":");
  return [monthDay, year, time].filter(Boolean).join(", ");
}

export function dateTimeFormat(fields: DateTimeFields): (iso: string | Date, timeZone?: string) => string {
  const withHour = { ...fields, hourCycle: "h23" } as const;
  // Bounded by the zones there are: an unknown one throws before it is kept.
  const byZone = new Map<string, Intl.DateTimeFormat>();
  return (iso, timeZone) => {
    const date = typeof iso === "string" ? new Date(iso) : iso;
    if (timeZone === undefined || timeZone === "UTC") return byFields(fields, date, timeZone === "UTC");
    let format = byZone.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat("en-US", { ...withHour, timeZone });
      byZone.set(timeZone, format);
    }
    return format.format(date);
  };
}
