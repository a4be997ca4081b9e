/**
 * @vitest-environment node
 * The server's HTML is rendered where the server renders it: in Node, no window.
 */
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { formatTimestamp } from "@/lib/format";
import { validTimeZone, zoneOffsetMinutes } from "@/lib/time-zone";
import { HydratedProvider } from "@/lib/use-hydrated";
import { LocalTime } from "./local-time";
import { TimeZoneProvider } from "./time-zone";

const iso = "2026-12-05T23:30:00.000Z";

describe("LocalTime in the server's HTML", () => {
  it("is in the zone the viewer's cookie named, unmarked", () => {
    // Inside the root's HydratedProvider, as every page is (app/layout.tsx).
    const html = renderToString(
      <HydratedProvider>
        <TimeZoneProvider zone="Asia/Tokyo">
          <LocalTime iso={iso} format={formatTimestamp} />
        </TimeZoneProvider>
      </HydratedProvider>,
    );
    // 23:30 UTC is 08:30 the next day in Tokyo.
    expect(html).toContain(formatTimestamp(iso, "Asia/Tokyo"));
    expect(html).toContain("08:30");
    expect(html).not.toContain("UTC");
  });

  it("is in UTC, marked, when the server knows no zone (a first visit)", () => {
    const html = renderToString(
      <HydratedProvider>
        <LocalTime iso={iso} format={formatTimestamp} />
      </HydratedProvider>,
    );
    expect(html).toContain(`${formatTimestamp(iso, "UTC")} UTC`);
  });
});

describe("validTimeZone", () => {
  it("takes a zone the runtime knows and refuses anything else", () => {
    expect(validTimeZone("Europe/Paris")).toBe("Europe/Paris");
    expect(validTimeZone("Mars/Olympus_Mons")).toBeNull();
    expect(validTimeZone("x".repeat(65))).toBeNull();
    expect(validTimeZone(undefined)).toBeNull();
    expect(validTimeZone("")).toBeNull();
  });
});

describe("zoneOffsetMinutes", () => {
  it("counts as Date#getTimezoneOffset does: UTC minus the zone's wall clock, summer time included", () => {
    const winter = new Date("2026-01-15T12:00:00.500Z");
    const summer = new Date("2026-07-15T12:00:00.500Z");
    expect(zoneOffsetMinutes("UTC", winter)).toBe(0);
    expect(zoneOffsetMinutes("Asia/Tokyo", winter)).toBe(-540);
    expect(zoneOffsetMinutes("America/New_York", winter)).toBe(300);
    expect(zoneOffsetMinutes("America/New_York", summer)).toBe(240);
    expect(zoneOffsetMinutes("America/St_Johns", winter)).toBe(210);
    expect(zoneOffsetMinutes("Australia/Lord_Howe", winter)).toBe(-660);
    expect(zoneOffsetMinutes("Australia/Lord_Howe", summer)).toBe(-630);
  });
});
