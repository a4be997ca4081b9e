import { describe, expect, it } from "vitest";
import { evaluateAllowlists } from "./allowlist";

const lists = { allowedIps: ["203.0.113.0/24"], allowedOrigins: ["https://*.example.com"] };

describe("evaluateAllowlists", () => {
  it("checks the IP before the origin", () => {
    expect(evaluateAllowlists(lists, { ip: "198.51.100.1", origin: "https://evil.com" }).code).toBe(
      "ip_not_allowed",
    );
    expect(evaluateAllowlists(lists, { ip: "203.0.113.1", origin: "https://evil.com" }).code).toBe(
      "origin_not_allowed",
    );
    expect(evaluateAllowlists(lists, { ip: "203.0.113.1", origin: "https://a.example.com" })).toMatchObject({
      allowed: true,
      code: null,
      ip: { result: "allowed", matched: "203.0.113.0/24" },
      origin: { result: "allowed", matched: "https://*.example.com" },
    });
  });

  it("treats empty lists as unrestricted, and an omitted IP as not checked", () => {
    expect(
      evaluateAllowlists({ allowedIps: [], allowedOrigins: [] }, { ip: null, origin: null }),
    ).toMatchObject({
      allowed: true,
      ip: { result: "unrestricted" },
      origin: { result: "unrestricted" },
    });
    expect(evaluateAllowlists(lists, { ip: undefined, origin: "https://a.example.com" })).toMatchObject({
      allowed: true,
      ip: { result: "not_checked" },
    });
  });

  it("refuses an unknown client IP and a missing or null Origin when lists are set", () => {
    expect(evaluateAllowlists(lists, { ip: null, origin: "https://a.example.com" }).code).toBe(
      "ip_not_allowed",
    );
    expect(evaluateAllowlists(lists, { ip: "203.0.113.1", origin: null }).code).toBe("origin_not_allowed");
    expect(evaluateAllowlists(lists, { ip: "203.0.113.1", origin: "null" }).code).toBe("origin_not_allowed");
  });
});
