"use client";

import { formatDate } from "@/lib/format";
import { useHydrated } from "@/lib/use-hydrated";
import { useServerTimeZone } from "./time-zone";

/**
 * A time in the viewer's time zone. The HTML (and React's hydration of it, which must match) shows it
 * in the zone the browser told the server in its cookie (`TimeZoneProvider`); without one (a first
 * visit) in UTC, marked as such. The first render after hydration formats in the browser's own zone:
 * the same text when the cookie is right. `format` takes the zone to format in (undefined: the viewer's).
 */
export function LocalTime({
  iso,
  format = formatDate,
}: {
  iso: string;
  format?: (date: Date, timeZone?: string) => string;
}) {
  const local = useHydrated();
  const serverZone = useServerTimeZone();
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={iso}>
      {local ? format(date) : serverZone ? format(date, serverZone) : `${format(date, "UTC")} UTC`}
    </time>
  );
}
