import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalIp, matchIp, parseIpEntry } from "./ips";

const v4ToInt = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const intToV4 = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
/** Reference: integer arithmetic, independent of ipaddr.js. */
const inV4Cidr = (ip: string, net: string, bits: number) =>
  Math.floor(v4ToInt(ip) / 2 ** (32 - bits)) === Math.floor(v4ToInt(net) / 2 ** (32 - bits));

const entry = (value: string) => {
  const r = parseIpEntry(value);
  if (!r.ok) throw new Error(`${value}: ${r.message}`);
  return r.value;
};

describe("IP entries", () => {
  it("stores bare addresses as /32 or /128, clears host bits, maps IPv4-in-IPv6 to IPv4", () => {
    expect(entry("203.0.113.7")).toBe("203.0.113.7/32");
    expect(entry(" 10.1.2.3/8 ")).toBe("10.0.0.0/8");
    expect(entry("2001:DB8:0:0:0:0:0:1")).toBe("2001:db8::1/128");
    expect(entry("2001:db8::ff/64")).toBe("2001:db8::/64");
    expect(entry("::ffff:192.0.2.1")).toBe("192.0.2.1/32");
    expect(entry("::ffff:192.0.2.0/120")).toBe("192.0.2.0/24");
  });

  it.each([
    "",
    "0.0.0.0/0",
    "::/0",
    "1.2.3.4/0",
    "::ffff:0:0/96",
    "10.0.0.0/33",
    "::1/129",
    "1.2.3",
    "127.1",
    "0x7f.0.0.1",
    "1.2.3.4/",
    "1.2.3.4/a",
    "fe80::1%eth0",
    "1.2.3.4/8/8",
    "example.com",
    "256.1.1.1",
  ])("refuses %j", (value) => {
    expect(parseIpEntry(value).ok).toBe(false);
  });

  it("is idempotent, and the canonical network is inside its own range", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 32 }), (ip, bits) => {
        const value = entry(`${ip}/${bits}`);
        expect(entry(value)).toBe(value);
        expect(matchIp(ip, [value])).toBe(value);
        expect(matchIp(value.split("/")[0]!, [value])).toBe(value);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), fc.integer({ min: 1, max: 128 }), (ip, bits) => {
        // IPv4-mapped addresses are IPv4 (covered below).
        fc.pre(canonicalIp(ip)?.includes(":") === true);
        const value = entry(`${ip}/${bits}`);
        expect(entry(value)).toBe(value);
        expect(matchIp(ip, [value])).toBe(value);
      }),
    );
  });
});

describe("IP matching", () => {
  it("agrees with integer arithmetic for IPv4", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 1, max: 32 }), (ip, net, bits) => {
        const value = entry(`${net}/${bits}`);
        expect(matchIp(ip, [value]) !== null).toBe(inV4Cidr(ip, net, bits));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses the address just outside either end of a range", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 31 }), (net, bits) => {
        const value = entry(`${net}/${bits}`);
        const start = v4ToInt(value.split("/")[0]!);
        const size = 2 ** (32 - bits);
        if (start > 0) expect(matchIp(intToV4(start - 1), [value])).toBeNull();
        if (start + size <= 0xffffffff) expect(matchIp(intToV4(start + size), [value])).toBeNull();
        expect(matchIp(intToV4(start + size - 1), [value])).toBe(value);
      }),
    );
  });

  it("treats IPv4-mapped IPv6 as IPv4, both ways", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 1, max: 32 }), (ip, bits) => {
        const v4 = entry(`${ip}/${bits}`);
        expect(matchIp(`::ffff:${ip}`, [v4])).toBe(v4);
        const mapped = entry(`::ffff:${ip}/${96 + bits}`);
        expect(mapped).toBe(v4);
        expect(canonicalIp(`::ffff:${ip}`)).toBe(canonicalIp(ip));
      }),
    );
  });

  it("never matches across families, an empty list or an unknown IP", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV6(), (v4, v6) => {
        fc.pre(canonicalIp(v6)?.includes(":") === true);
        expect(matchIp(v4, [entry(`${v6}/1`)])).toBeNull();
        expect(matchIp(v6, [entry(`${v4}/1`)])).toBeNull();
        expect(matchIp(v4, [])).toBeNull();
      }),
    );
    expect(matchIp(null, ["10.0.0.0/8"])).toBeNull();
    expect(matchIp("garbage", ["10.0.0.0/8"])).toBeNull();
  });
});
