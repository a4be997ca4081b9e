import { dateTimeFormat } from "@/lib/format/date-time";

/** `Nov 25, 18:24:31` in the viewer's time zone or in `timeZone`; the ISO string goes in a title/dateTime. */
export const formatTime = dateTimeFormat({
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatSignedCredits(n: number): string {
  const abs = new Intl.NumberFormat("en-US").format(Math.abs(n));
  return n > 0 ? `+${abs}` : n < 0 ? `−${abs}` : "0";
}
