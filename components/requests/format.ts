const OPTIONS = {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  // Not hour12: false, which ICU versions disagree on at midnight (Node "24:05", Chromium "00:05"):
  // a hydration mismatch.
  hourCycle: "h23",
} as const;
const time = new Intl.DateTimeFormat("en-US", OPTIONS);

/** `Nov 25, 18:24:31` in the viewer's time zone or in `timeZone`; the ISO string goes in a title/dateTime. */
export function formatTime(iso: string | Date, timeZone?: string): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  return timeZone
    ? new Intl.DateTimeFormat("en-US", { ...OPTIONS, timeZone }).format(date)
    : time.format(date);
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatSignedCredits(n: number): string {
  const abs = new Intl.NumberFormat("en-US").format(Math.abs(n));
  return n > 0 ? `+${abs}` : n < 0 ? `−${abs}` : "0";
}
