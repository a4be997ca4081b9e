const when = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** `Nov 25, 2026, 18:24` in the viewer's time zone. */
export function formatWhen(iso: string): string {
  return when.format(new Date(iso));
}
