// @vitest-environment node
import { describe, expect, it } from "vitest";
import { ipBucket, parseCidrList, resolveClientIp } from "./client-ip";

const proxies = parseCidrList("10.0.0.0/8, 2001:db8:ffff::/48");

describe("resolveClientIp", () => {
  it("ignores X-Forwarded-For from an untrusted socket", () => {
    expect(resolveClientIp("198.51.100.9", "203.0.113.7", proxies)).toBe("198.51.100.9");
  });

  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["203.0.113.7:4711", "203.0.113.7"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["2001:db8::1", "2001:db8::1"],
    ['"203.0.113.7:4711"', "203.0.113.7"],
  ])("reads the hop %j behind a trusted proxy as %j", (hop, client) => {
    expect(resolveClientIp("10.0.0.2", hop, proxies)).toBe(client);
  });

  it("skips trusted hops with ports, right to left", () => {
    expect(resolveClientIp("10.0.0.2", "203.0.113.7:1, 10.1.1.1:8080", proxies)).toBe("203.0.113.7");
  });

  it("stops at a hop that is not an address", () => {
    expect(resolveClientIp("10.0.0.2", "203.0.113.7, unknown", proxies)).toBe("10.0.0.2");
    expect(resolveClientIp("10.0.0.2", "203.0.113.7:99999", proxies)).toBe("10.0.0.2");
  });
});

describe("ipBucket", () => {
  it("keeps IPv4 (mapped or not) and counts IPv6 by its /64", () => {
    expect(ipBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(ipBucket("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(ipBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(ipBucket("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(ipBucket("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(ipBucket(null)).toBe("unknown");
    expect(ipBucket("garbage")).toBe("unknown");
  });
});
