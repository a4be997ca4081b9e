import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { type DateTimeFields, dateTimeFormat } from "./date-time";
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

// The console formats without Intl what a page shows as it loads (a page's first Intl formatter costs
// ICU tens of milliseconds): each hand-written format must say exactly what Intl says.
describe("formats written without Intl agree with Intl", () => {
  // A deterministic spread of instants over 1990–2060, seconds included.
  const instants = Array.from(
    { length: 400 },
    (_, i) => new Date(631_152_000_000 + ((i * 5_527_193_311) % 2_208_988_800_000)),
  );
  const fieldSets: DateTimeFields[] = [
    { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" },
    { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" },
    { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" },
    { hour: "2-digit", minute: "2-digit" },
    { month: "short", day: "numeric" },
  ];

  it.each(fieldSets)("dates in UTC: %j", (fields) => {
    const intl = new Intl.DateTimeFormat("en-US", { ...fields, hourCycle: "h23", timeZone: "UTC" });
    const format = dateTimeFormat(fields);
    for (const at of instants) expect(format(at, "UTC")).toBe(intl.format(at));
  });

  // A zone is a process's (TZ), fixed at its start: each zone's comparison runs in a Node of its own.
  it.each(["America/New_York", "America/St_Johns", "Australia/Lord_Howe", "Europe/London"])(
    "dates in the viewer's own zone (%s)",
    (zone) => {
      const script = `
        import { dateTimeFormat } from "./lib/format/date-time.ts";
        const fieldSets = ${JSON.stringify(fieldSets)};
        const instants = ${JSON.stringify(instants.map((d) => d.getTime()))}.map((t) => new Date(t));
        const out = { zone: Intl.DateTimeFormat().resolvedOptions().timeZone, differ: [] };
        for (const fields of fieldSets) {
          const intl = new Intl.DateTimeFormat("en-US", { ...fields, hourCycle: "h23" });
          const format = dateTimeFormat(fields);
          for (const at of instants) if (format(at) !== intl.format(at)) out.differ.push([format(at), intl.format(at)]);
        }
        console.log(JSON.stringify(out));`;
      const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        env: { ...process.env, TZ: zone },
        encoding: "utf8",
      });
      expect(run.stderr).toBe("");
      expect(JSON.parse(run.stdout)).toEqual({ zone, differ: [] });
    },
  );

  it("times from now", () => {
    const intl = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
    const now = Date.parse("2026-11-25T18:24:31.000Z");
    const units: [Intl.RelativeTimeFormatUnit, number][] = [
      ["second", 1_000],
      ["minute", 60_000],
      ["hour", 3_600_000],
      ["day", 86_400_000],
    ];
    for (const [unit, ms] of units) {
      for (let n = -1; n <= 1; n++) {
        // −1, 0 and 1 of a unit have words of their own ("yesterday", "now").
        if (unit === "second" || n !== 0) {
          expect(timeFromNow(new Date(now + n * ms).toISOString(), now)).toBe(intl.format(n, unit));
        }
      }
    }
    for (let seconds = -400_000_000; seconds <= 400_000_000; seconds += 3_999_991) {
      const text = timeFromNow(new Date(now + seconds * 1000).toISOString(), now);
      const [, count = "", unit = ""] = /(\d[\d,]*) (second|minute|hour|day|month|year)/.exec(text) ?? [];
      if (!unit) continue; // a word of its own: checked above
      const n = Number(count.replaceAll(",", "")) * Math.sign(seconds);
      expect(text).toBe(intl.format(n, unit as Intl.RelativeTimeFormatUnit));
    }
    const day = 86_400_000;
    for (const n of [-1, 1]) {
      expect(timeFromNow(new Date(now + n * 31 * day).toISOString(), now)).toBe(intl.format(n, "month"));
      expect(timeFromNow(new Date(now + n * 366 * day).toISOString(), now)).toBe(intl.format(n, "year"));
    }
  });

  it("groups digits and writes dollars", () => {
    const numbers = new Intl.NumberFormat("en-US");
    for (const n of [
      0,
      7,
      -7,
      999,
      1_000,
      -1_000,
      12_345,
      999_999,
      1_000_000,
      -1_234_567,
      2 ** 53 - 1,
      1.5,
    ]) {
      expect(formatCount(n)).toBe(numbers.format(n));
    }
    for (let i = 0; i < 300; i++) {
      const cents = ((i * 7_919_003) % 50_000_000) - 1_000_000;
      const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
      expect(formatMoney(cents, "usd")).toBe(dollars.format(cents / 100));
      const per = 1 + ((i * 977) % 20_000);
      const perCredit = new Intl.NumberFormat("en-US", {
        style: "currency",
        currency: "USD",
        minimumFractionDigits: 4,
        maximumFractionDigits: 4,
      });
      expect(formatMoney(Math.abs(cents), "USD", { per, digits: 4 })).toBe(
        perCredit.format(Math.abs(cents) / 100 / per),
      );
    }
  });
});
