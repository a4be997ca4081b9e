const OPTIONS = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  // Not hour12: false, which ICU versions disagree on at midnight (Node "24:05", Chromium "00:05"):
  // a hydration mismatch.
  hourCycle: "h23",
} as const;
const when = new Intl.DateTimeFormat("en-US", OPTIONS);

/** `Nov 25, 2026, 18:24` in the viewer's time zone, or in `timeZone`. */
export function formatWhen(iso: string | Date, timeZone?: string): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  return timeZone
    ? new Intl.DateTimeFormat("en-US", { ...OPTIONS, timeZone }).format(date)
    : when.format(date);
}
