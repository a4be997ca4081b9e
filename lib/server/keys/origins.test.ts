import fc from "fast-check";
import { parse as parseDomain } from "tldts";
import { describe, expect, it } from "vitest";
import { matchOrigin, normalizeRequestOrigin, parseOriginEntry } from "./origins";

// Plain LDH labels. Not "xn--…": that prefix marks a punycode A-label, which the parser rightly refuses
// when the rest is not valid punycode ("xn--ab") — a host these properties are not about.
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/).filter((l) => !l.startsWith("xn--"));
// Registrable domains: a label under a TLD, but not one that is itself a public suffix (the PSL's
// private section lists some: cn.com, us.org, uk.net…), whose wildcard the parser rightly refuses.
const base = fc
  .tuple(label, fc.constantFrom("com", "org", "dev", "io", "net"))
  .map(([l, tld]) => `${l}.${tld}`)
  .filter((b) => parseDomain(b, { allowPrivateDomains: true }).domain === b);
const subdomain = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join("."));
const scheme = fc.constantFrom("http", "https");
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });

const origin = (s: string, host: string, p?: number) => `${s}://${host}${p === undefined ? "" : `:${p}`}`;
const entry = (value: string) => {
  const r = parseOriginEntry(value);
  if (!r.ok) throw new Error(`${value}: ${r.message}`);
  return r.value;
};

describe("origin entries", () => {
  it("normalises case, punycode, default ports and a trailing slash", () => {
    expect(entry("HTTPS://App.Example.COM:443/")).toBe("https://app.example.com");
    expect(entry("http://example.com:80")).toBe("http://example.com");
    expect(entry("http://example.com:8080")).toBe("http://example.com:8080");
    expect(entry("https://bücher.example")).toBe("https://xn--bcher-kva.example");
    expect(entry("https://*.Example.com")).toBe("https://*.example.com");
    expect(entry("http://[::1]:3000")).toBe("http://[::1]:3000");
    expect(entry("http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000");
  });

  it.each([
    "",
    "*",
    "null",
    "example.com",
    "https://",
    "https://example.com/path",
    "https://example.com?q=1",
    "https://example.com#x",
    "https://user@example.com",
    "ftp://example.com",
    "https://*.com",
    "https://*.co.uk",
    "https://*.github.io",
    "https://*.1.2.3.4",
    "https://*",
    "https://a.*.example.com",
    "https://*x.example.com",
    "https://*.*.example.com",
    "https://exa mple.com",
    "https://example.com:99999",
  ])("refuses %j", (value) => {
    expect(parseOriginEntry(value).ok).toBe(false);
  });

  it("is idempotent: a normalised entry normalises to itself", () => {
    fc.assert(
      fc.property(scheme, fc.boolean(), subdomain, base, port, (s, wild, sub, b, p) => {
        const first = parseOriginEntry(origin(s, wild ? `*.${b}` : `${sub}.${b}`, p));
        expect(first.ok).toBe(true);
        if (first.ok) expect(parseOriginEntry(first.value)).toEqual(first);
      }),
    );
  });
});

describe("origin matching", () => {
  it("a wildcard matches every depth of subdomain, with the same scheme and port, never the apex", () => {
    fc.assert(
      fc.property(scheme, subdomain, base, port, (s, sub, b, p) => {
        const wild = entry(origin(s, `*.${b}`, p));
        const req = (host: string, sch = s, pp: number | null = p ?? null) =>
          normalizeRequestOrigin(origin(sch, host, pp ?? undefined));
        expect(matchOrigin(req(`${sub}.${b}`), [wild])).toBe(wild);
        expect(matchOrigin(req(b), [wild])).toBeNull();
        expect(matchOrigin(req(`${sub}.${b}`, s === "http" ? "https" : "http"), [wild])).toBeNull();
        expect(matchOrigin(req(`${sub}.${b}`, s, p === 8443 ? 8444 : 8443), [wild])).toBeNull();
        // A look-alike that merely ends with the same characters is not a subdomain.
        expect(matchOrigin(req(`${sub}x${b}`), [wild])).toBeNull();
        expect(matchOrigin(req(`${sub}.${b}.evil.com`), [wild])).toBeNull();
      }),
    );
  });

  it("an exact entry matches exactly its origin, whatever the case or default port", () => {
    fc.assert(
      fc.property(scheme, subdomain, base, port, subdomain, (s, sub, b, p, otherSub) => {
        const exact = entry(origin(s, `${sub}.${b}`, p));
        const upper = origin(s.toUpperCase(), `${sub}.${b}`.toUpperCase(), p);
        expect(matchOrigin(normalizeRequestOrigin(upper), [exact])).toBe(exact);
        fc.pre(otherSub !== sub);
        expect(matchOrigin(normalizeRequestOrigin(origin(s, `${otherSub}.${b}`, p)), [exact])).toBeNull();
      }),
    );
    expect(matchOrigin(normalizeRequestOrigin("https://example.com:443"), ["https://example.com"])).toBe(
      "https://example.com",
    );
  });

  it("never lets a missing, null or malformed Origin through", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(null), fc.constant("null"), fc.string()), base, (sent, b) => {
        const normalised = normalizeRequestOrigin(sent);
        const list = [`https://*.${b}`, `https://${b}`];
        const matched = matchOrigin(normalised, list);
        if (matched) expect(normalised === `https://${b}` || normalised!.endsWith(`.${b}`)).toBe(true);
      }),
    );
    expect(matchOrigin(normalizeRequestOrigin(null), ["https://a.com"])).toBeNull();
    expect(matchOrigin(normalizeRequestOrigin("null"), ["https://a.com"])).toBeNull();
    expect(matchOrigin(normalizeRequestOrigin("https://a.com/x"), ["https://a.com"])).toBeNull();
  });
});
