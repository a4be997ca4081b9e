import { afterEach, describe, expect, it, vi } from "vitest";

const { where, set, update } = vi.hoisted(() => {
  const where = vi.fn(async () => undefined);
  const set = vi.fn((_values: { lastUsedIp: string | null }) => ({ where }));
  const update = vi.fn(() => ({ set }));
  return { where, set, update };
});
vi.mock("../db/client", () => ({ getDb: async () => ({ update }) }));

const { resetKeyUsageThrottle, touchKeyUsage } = await import("./usage");

afterEach(() => {
  resetKeyUsageThrottle();
  vi.clearAllMocks();
});

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("touchKeyUsage", () => {
  it("writes at most once a minute per key", async () => {
    touchKeyUsage("key_a", "203.0.113.1", "https://a.example", 1_000_000);
    touchKeyUsage("key_a", "203.0.113.2", null, 1_030_000);
    touchKeyUsage("key_b", "203.0.113.3", null, 1_030_000);
    touchKeyUsage("key_a", "203.0.113.4", null, 1_060_000);
    await flush();
    expect(set.mock.calls.map(([values]) => values.lastUsedIp)).toEqual([
      "203.0.113.1",
      "203.0.113.3",
      "203.0.113.4",
    ]);
  });

  it("never throws into the request, and logs a failed write", async () => {
    where.mockRejectedValueOnce(new Error("db down"));
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => touchKeyUsage("key_c", null, null)).not.toThrow();
    await flush();
    await flush();
    expect(log).toHaveBeenCalledWith(expect.stringContaining("key_usage_unwritten"));
    log.mockRestore();
  });
});
