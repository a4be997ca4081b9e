import { describe, expect, it } from "vitest";
import type { Key } from "@/lib/api/contract/keys.schema";
import { keyStatuses } from "./key-status";

const NOW = Date.parse("2026-12-05T10:00:00Z");
const KEY: Key = {
  id: "key_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V",
  name: "prod",
  prefix: "sk_live_NEW1",
  status: "active",
  paused_by: null,
  allowed_origins: [],
  allowed_ips: [],
  created_at: "2026-12-01T00:00:00Z",
  last_used_at: null,
  last_used_ip: null,
  last_used_origin: null,
  expires_at: null,
  revoked_at: null,
  shadow: null,
  rotation: null,
  spend: { monthly_credit_limit: null, month: "2026-12", month_spent_credits: 0 },
};
const rotation = (oldLastUsedAt: string | null) => ({
  rolled_at: "2026-12-05T08:00:00Z",
  old_prefix: "sk_live_OLD1",
  old_expires_at: "2026-12-06T08:00:00Z",
  old_last_used_at: oldLastUsedAt,
});
const labels = (key: Key) => keyStatuses(key, NOW).map((s) => s.label);

describe("key health: the old secret of a roll", () => {
  it("is in use when a request came with it within the last hour", () => {
    expect(labels({ ...KEY, rotation: rotation("2026-12-05T09:30:00Z") })).toContain("Old secret in use");
  });
  it("is idle when it was last used over an hour ago, or never since the roll", () => {
    for (const at of ["2026-12-05T08:59:59Z", null]) {
      const l = labels({ ...KEY, rotation: rotation(at) });
      expect(l).toContain("Old secret idle");
      expect(l).not.toContain("Old secret in use");
    }
  });
  it("says nothing outside a grace period", () => {
    expect(labels(KEY).filter((l) => l.startsWith("Old secret"))).toEqual([]);
  });
});
