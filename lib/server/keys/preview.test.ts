import { describe, expect, it } from "vitest";
import { previewTraffic, type TrafficPair } from "./preview";

const at = (iso: string) => new Date(iso);
const window = { from: at("2026-11-28T00:00:00Z"), to: at("2026-12-05T00:00:00Z") };

describe("previewTraffic", () => {
  const pairs: TrafficPair[] = [
    {
      ip: "203.0.113.7",
      origin: "https://app.example.com",
      requests: 10,
      lastAt: at("2026-12-01T00:00:00Z"),
    },
    { ip: "203.0.113.7", origin: "https://evil.test", requests: 3, lastAt: at("2026-12-02T00:00:00Z") },
    { ip: "::ffff:198.51.100.1", origin: null, requests: 4, lastAt: at("2026-12-03T00:00:00Z") },
    { ip: "198.51.100.1", origin: "https://evil.test", requests: 1, lastAt: at("2026-12-04T00:00:00Z") },
    { ip: null, origin: "https://app.example.com", requests: 2, lastAt: at("2026-11-29T00:00:00Z") },
  ];

  it("counts what the matcher refuses, per IP (mapped IPv6 as IPv4) and per refused origin", () => {
    const p = previewTraffic(
      { allowedIps: ["203.0.113.0/24"], allowedOrigins: ["https://app.example.com"] },
      pairs,
      window,
    );
    expect(p.total_requests).toBe(20);
    // The IP check comes first: 198.51.100.1 is refused for its IP whatever its origin.
    expect(p.refused).toEqual({
      requests: 3 + 5 + 2,
      ips: 3,
      origins: 1,
      by_code: { ip_not_allowed: 7, origin_not_allowed: 3 },
    });
    expect(p.top_ips).toEqual([
      { ip: "198.51.100.1", code: "ip_not_allowed", requests: 5, last_seen_at: "2026-12-04T00:00:00.000Z" },
      {
        ip: "203.0.113.7",
        code: "origin_not_allowed",
        requests: 3,
        last_seen_at: "2026-12-02T00:00:00.000Z",
      },
      { ip: null, code: "ip_not_allowed", requests: 2, last_seen_at: "2026-11-29T00:00:00.000Z" },
    ]);
    expect(p.top_origins).toEqual([
      { origin: "https://evil.test", requests: 3, last_seen_at: "2026-12-02T00:00:00.000Z" },
    ]);
  });

  it("refuses nothing with empty lists, and a request without Origin once origins are listed", () => {
    expect(previewTraffic({ allowedIps: [], allowedOrigins: [] }, pairs, window).refused.requests).toBe(0);
    const p = previewTraffic({ allowedIps: [], allowedOrigins: ["https://*.example.com"] }, pairs, window);
    // 4 requests each: the one seen last comes first.
    expect(p.top_origins.map((o) => o.origin)).toEqual(["https://evil.test", null]);
    expect(p.refused.by_code).toEqual({ ip_not_allowed: 0, origin_not_allowed: 8 });
  });
});
