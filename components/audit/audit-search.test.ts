import { describe, expect, it } from "vitest";
import { toAuditFilters } from "./audit-search";

const none = { category: null, action: null, actor: null, target: null, from: null, to: null };

describe("toAuditFilters", () => {
  it("sends only the set filters, so equal views share one query key", () => {
    expect(toAuditFilters(none)).toEqual({});
    expect(toAuditFilters({ ...none, actor: "  ", target: "" })).toEqual({});
    expect(toAuditFilters({ ...none, category: "keys", actor: " Ann@Example.com " })).toEqual({
      category: "keys",
      actor: "Ann@Example.com",
    });
  });

  it("turns UTC days into bounds: from the first day's midnight to the midnight after the last", () => {
    const filters = toAuditFilters({
      ...none,
      from: new Date("2026-12-01T00:00:00Z"),
      to: new Date("2026-12-05T00:00:00Z"),
    });
    expect(filters).toEqual({ from: "2026-12-01T00:00:00.000Z", to: "2026-12-06T00:00:00.000Z" });
  });
});
