"use client";

import { formatDate } from "@/lib/format";
import { useHydrated } from "@/lib/use-hydrated";
import { useServerTimeZone } from "./time-zone";

const onServer = typeof window === "undefined";

/**
 * A time in the viewer's time zone. The HTML shows it in the zone the browser told the server in its
 * cookie (`TimeZoneProvider`); without one (a first visit) in UTC, marked as such. The first render
 * after hydration formats in the browser's own zone: the same text when the cookie is right.
 * `format` takes the zone to format in (undefined: the viewer's).
 *
 * While hydrating in a named zone the browser does not format at all: it renders "" and keeps the
 * server's text (`suppressHydrationWarning`: React leaves a differing text in place and writes the
 * next one). Formatting in a named zone needs an Intl formatter, and a page's first costs ICU tens of
 * milliseconds (lib/format/date-time.ts); the viewer's own zone and UTC are formatted without one.
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
  const text = local
    ? format(date)
    : !serverZone
      ? `${format(date, "UTC")} UTC`
      : onServer || serverZone === "UTC"
        ? format(date, serverZone)
        : "";
  return (
    <time dateTime={iso} title={iso} suppressHydrationWarning>
      {text}
    </time>
  );
}
