import { parse as parseDomain } from "tldts";
import type { EntryResult } from "./entry-result";

const SCHEME_RE = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i;
const WILDCARD_RE = /^(https?):\/\/\*\.([^:/]+)(?::(\d+))?$/;
const ORIGIN_RE = /^(https?):\/\/([^:/]+|\[[^\]]+\])(?::(\d+))?$/;

/** Canonical `scheme://host[:port]`: lower case, punycode, default port dropped. Null if not an origin. */
function canonical(scheme: string, authority: string): { host: string; port: string } | null {
  let url: URL;
  try {
    url = new URL(`${scheme}://${authority}`);
  } catch {
    return null;
  }
  if (!url.hostname || url.username || url.password || url.pathname !== "/" || url.search || url.hash) {
    return null;
  }
  return { host: url.hostname, port: url.port };
}

/**
 * Validates and normalises one `allowed_origins` entry: `scheme://host[:port]`, http(s) only, and a
 * wildcard only as the whole left-most label of a registrable domain (`https://*.example.com`).
 */
export function parseOriginEntry(input: string): EntryResult {
  const value = input.trim();
  if (!value) return { ok: false, message: "Enter an origin, like https://app.example.com." };
  if (value === "*" || value === "null") {
    return { ok: false, message: `"${value}" is not an origin: list the sites that may call with this key.` };
  }
  const m = SCHEME_RE.exec(value);
  if (!m) return { ok: false, message: "Use scheme://host[:port], like https://app.example.com." };
  const scheme = m[1]!.toLowerCase();
  if (scheme !== "http" && scheme !== "https") {
    return { ok: false, message: "Only http:// and https:// origins are supported." };
  }
  let rest = m[2]!;
  // A browser's Origin never has a trailing slash; accept one, refuse any other path, query or fragment.
  if (rest.endsWith("/") && !rest.slice(0, -1).includes("/")) rest = rest.slice(0, -1);
  if (/[/?#]/.test(rest)) {
    return { ok: false, message: "An origin is only scheme://host[:port]: no path, query or fragment." };
  }
  if (rest.includes("@")) return { ok: false, message: "An origin has no user name or password." };
  const wildcard = rest.startsWith("*.");
  const authority = wildcard ? rest.slice(2) : rest;
  if (authority.includes("*")) {
    return {
      ok: false,
      message: "A wildcard must be the whole left-most label, as in https://*.example.com.",
    };
  }
  const parsed = canonical(scheme, authority);
  if (!parsed) return { ok: false, message: "Not a valid host name or port." };
  if (wildcard) {
    const info = parseDomain(parsed.host, { allowPrivateDomains: true });
    if (info.isIp || parsed.host.startsWith("[")) {
      return { ok: false, message: "A wildcard can't be used with an IP address." };
    }
    if (!info.domain) {
      return {
        ok: false,
        message: `*.${parsed.host} would cover a public suffix (anyone can register under it). Use your own domain, as in https://*.example.com.`,
      };
    }
  }
  const port = parsed.port ? `:${parsed.port}` : "";
  return { ok: true, value: `${scheme}://${wildcard ? "*." : ""}${parsed.host}${port}` };
}

/** The request's `Origin` header, normalised like the entries; null when absent, `null` or malformed. */
export function normalizeRequestOrigin(header: string | null | undefined): string | null {
  if (!header || header === "null") return null;
  const m = SCHEME_RE.exec(header.trim());
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== "http" && scheme !== "https") return null;
  if (m[2]!.includes("*")) return null;
  const parsed = canonical(scheme, m[2]!);
  if (!parsed) return null;
  return `${scheme}://${parsed.host}${parsed.port ? `:${parsed.port}` : ""}`;
}

/**
 * The entry that lets `origin` (already normalised) through, or null. Exact entries match scheme, host
 * and port; `scheme://*.base[:port]` matches any depth of subdomain of base, never base itself.
 */
export function matchOrigin(origin: string | null, entries: readonly string[]): string | null {
  if (!origin) return null;
  let parts: RegExpExecArray | null | undefined;
  for (const entry of entries) {
    if (entry === origin) return entry;
    const w = WILDCARD_RE.exec(entry);
    if (!w) continue;
    parts ??= ORIGIN_RE.exec(origin);
    if (!parts) return null;
    const [, scheme, host, port = ""] = parts;
    if (w[1] === scheme && (w[3] ?? "") === port && host!.endsWith(`.${w[2]}`)) return entry;
  }
  return null;
}
