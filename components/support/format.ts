import { dateTimeFormat } from "@/lib/format/date-time";

/** `Nov 25, 2026, 18:24` in the viewer's time zone, or in `timeZone`. */
export const formatWhen = dateTimeFormat({
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
