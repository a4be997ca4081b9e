import { describe, expect, it } from "vitest";
import { evaluateAllowlists, evaluateWithShadow, shadowActive } from "./allowlist";

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

describe("evaluateWithShadow", () => {
  const now = new Date("2026-12-05T08:00:00Z");
  const open = { allowedIps: [], allowedOrigins: [] };
  const shadow = {
    shadowAllowedIps: ["203.0.113.0/24"],
    shadowAllowedOrigins: ["https://*.example.com"],
    shadowEndsAt: new Date("2026-12-06T08:00:00Z"),
  };

  it("lets a request through that the shadow list would refuse, and names the code it would give", () => {
    const ipOut = evaluateWithShadow({ ...open, ...shadow }, { ip: "198.51.100.1", origin: null }, now);
    expect(ipOut.verdict.allowed).toBe(true);
    expect(ipOut.wouldRefuse).toBe("ip_not_allowed");
    const originOut = evaluateWithShadow(
      { ...open, ...shadow },
      { ip: "::ffff:203.0.113.9", origin: "https://evil.com" },
      now,
    );
    expect(originOut).toMatchObject({ verdict: { allowed: true }, wouldRefuse: "origin_not_allowed" });
    const inside = evaluateWithShadow(
      { ...open, ...shadow },
      { ip: "203.0.113.9", origin: "https://a.example.com" },
      now,
    );
    expect(inside.wouldRefuse).toBeNull();
  });

  it("never changes the enforced verdict: a refused request stays refused and is not 'would refuse'", () => {
    const enforced = { allowedIps: ["192.0.2.0/24"], allowedOrigins: [] };
    const out = evaluateWithShadow({ ...enforced, ...shadow }, { ip: "198.51.100.1", origin: null }, now);
    expect(out.verdict).toEqual(evaluateAllowlists(enforced, { ip: "198.51.100.1", origin: null }));
    expect(out.verdict.code).toBe("ip_not_allowed");
    expect(out.wouldRefuse).toBeNull();
  });

  it("stops at the shadow's end, and without a shadow", () => {
    const ended = { ...shadow, shadowEndsAt: now };
    expect(
      evaluateWithShadow({ ...open, ...ended }, { ip: "198.51.100.1", origin: null }, now).wouldRefuse,
    ).toBe(null);
    const none = { shadowAllowedIps: null, shadowAllowedOrigins: null, shadowEndsAt: null };
    expect(shadowActive(none, now)).toBe(false);
    expect(
      evaluateWithShadow({ ...open, ...none }, { ip: "198.51.100.1", origin: null }, now).wouldRefuse,
    ).toBe(null);
  });

  it("an empty shadow list is unrestricted, like an enforced one", () => {
    const loosen = { ...shadow, shadowAllowedIps: [], shadowAllowedOrigins: [] };
    expect(
      evaluateWithShadow({ ...open, ...loosen }, { ip: "198.51.100.1", origin: null }, now).wouldRefuse,
    ).toBeNull();
  });
});
