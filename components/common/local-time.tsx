"use client";

import { formatDate } from "@/lib/format";
import { useHydrated } from "@/lib/use-hydrated";

/**
 * A time in the viewer's time zone. The server cannot know that zone, so the HTML (and React's
 * hydration of it, which must match) shows UTC, marked as such; the first render after hydration
 * shows local time. `format` takes the zone to format in (undefined: the viewer's).
 */
export function LocalTime({
  iso,
  format = formatDate,
}: {
  iso: string;
  format?: (date: Date, timeZone?: string) => string;
}) {
  const local = useHydrated();
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={iso}>
      {local ? format(date) : `${format(date, "UTC")} UTC`}
    </time>
  );
}
