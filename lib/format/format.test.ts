import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatCredits,
  formatDate,
  formatDuration,
  formatMoney,
  formatSignedCredits,
  formatTimestamp,
  LEDGER_KIND_LABEL,
  relativeOrDate,
  timeFromNow,
} from "@/lib/format";

describe("formatDuration", () => {
  it.each([
    [-5, "0 ms"],
    [0, "0 ms"],
    [849.6, "850 ms"],
    [999, "999 ms"],
    [1000, "1.0 s"],
    [4200, "4.2 s"],
    [4249, "4.2 s"],
    [9_949, "9.9 s"],
    [12_400, "12 s"],
    [59_400, "59 s"],
    [185_000, "3 min 5 s"],
    [3_599_000, "59 min 59 s"],
    [7_440_000, "2 h 4 min"],
  ])("%d ms reads %j", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("credits", () => {
  it("groups digits and agrees in number", () => {
    expect(formatCredits(1)).toBe("1 credit");
    expect(formatCredits(-1)).toBe("-1 credit");
    expect(formatCredits(0)).toBe("0 credits");
    expect(formatCredits(12_500)).toBe("12,500 credits");
    expect(formatCount(1_234_567)).toBe("1,234,567");
  });

  it("signs a movement with plus or a true minus, and leaves zero unsigned", () => {
    expect(formatSignedCredits(500)).toBe("+500");
    expect(formatSignedCredits(-1_010)).toBe("−1,010");
    expect(formatSignedCredits(0)).toBe("0");
    expect(formatSignedCredits(-10, { unit: true })).toBe("−10 credits");
    expect(formatSignedCredits(1, { unit: true })).toBe("+1 credit");
  });

  it("formats cents in the currency, whatever case its code comes in", () => {
    expect(formatMoney(500, "usd")).toBe("$5.00");
    expect(formatMoney(123_456, "EUR")).toBe("€1,234.56");
  });
});

describe("dates", () => {
  const at = "2026-11-25T18:24:31.000Z";

  it("stamps an event to the second without the year", () => {
    expect(formatTimestamp(at, "UTC")).toBe("Nov 25, 18:24:31");
    expect(formatTimestamp(new Date(at), "Asia/Tokyo")).toBe("Nov 26, 03:24:31");
  });

  it("dates with the year, to the minute, on a 24-hour clock", () => {
    expect(formatDate(at, "UTC")).toBe("Nov 25, 2026, 18:24");
    expect(formatDate(at, "America/New_York")).toBe("Nov 25, 2026, 13:24");
  });

  it("writes the hour after midnight as 00, as browsers do (a server's 24 broke hydration)", () => {
    expect(formatTimestamp("2026-12-05T00:19:43Z", "UTC")).toBe("Dec 5, 00:19:43");
    expect(formatDate("2026-12-05T00:19:43Z", "UTC")).toBe("Dec 5, 2026, 00:19");
  });

  it("shows the date in the server's HTML and the time from now in the browser", () => {
    const date = new Date(Date.now() - 3 * 60_000);
    expect(relativeOrDate(date, "UTC")).toBe(formatDate(date, "UTC"));
    expect(relativeOrDate(date)).toBe("3 minutes ago");
  });

  it("says how long ago or how soon, in the largest unit under its limit", () => {
    const now = Date.parse(at);
    expect(timeFromNow(at, now)).toBe("now");
    expect(timeFromNow("2026-11-25T18:21:31.000Z", now)).toBe("3 minutes ago");
    expect(timeFromNow("2026-11-27T18:24:31.000Z", now)).toBe("in 2 days");
    expect(timeFromNow("2024-11-25T18:24:31.000Z", now)).toBe("2 years ago");
  });
});

describe("ledger kinds", () => {
  it("names every kind", () => {
    expect(LEDGER_KIND_LABEL).toEqual({
      top_up: "Top-up",
      job_charge: "Job charge",
      job_refund: "Refund",
      adjustment: "Adjustment",
    });
  });
});
