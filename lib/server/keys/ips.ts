import ipaddr from "ipaddr.js";
import { parseIp } from "../net/client-ip";
import type { EntryResult } from "./entry-result";

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

const EXAMPLE = "like 203.0.113.7, 198.51.100.0/24 or 2001:db8::/32";

function text(addr: Addr): string {
  return addr.kind() === "ipv6" ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString();
}

/** The network address of addr/bits (host bits cleared). */
function network(addr: Addr, bits: number): Addr {
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  return ipaddr.fromByteArray(bytes);
}

/**
 * Validates and normalises one `allowed_ips` entry to `address/bits`: a bare address is /32 or /128,
 * host bits are cleared, IPv4-mapped IPv6 becomes IPv4, and a /0 (everything) is refused.
 */
export function parseIpEntry(input: string): EntryResult {
  const value = input.trim();
  if (!value) return { ok: false, message: `Enter an IP address or CIDR, ${EXAMPLE}.` };
  if (value.includes("%")) return { ok: false, message: "Zone ids (%eth0) are not allowed." };
  const slash = value.split("/");
  if (slash.length > 2) return { ok: false, message: `Not an IP address or CIDR; use one ${EXAMPLE}.` };
  const [host = "", bitsText] = slash;
  let addr: Addr;
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) addr = ipaddr.IPv4.parse(host);
  else if (ipaddr.IPv6.isValid(host) && host.includes(":")) addr = ipaddr.IPv6.parse(host);
  else return { ok: false, message: `Not an IP address or CIDR; use one ${EXAMPLE}.` };
  const max = addr.kind() === "ipv4" ? 32 : 128;
  let bits = max;
  if (bitsText !== undefined) {
    if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max) {
      return {
        ok: false,
        message: `The prefix length must be 0–${max} for ${addr.kind() === "ipv4" ? "IPv4" : "IPv6"}.`,
      };
    }
    bits = Number(bitsText);
  }
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    bits -= 96;
  }
  if (bits === 0) {
    return {
      ok: false,
      message: "A /0 allows every address. Leave the list empty for an unrestricted key instead.",
    };
  }
  return { ok: true, value: `${text(network(addr, bits))}/${bits}` };
}

const cache = new Map<string, [Addr, number]>();

function cidr(entry: string): [Addr, number] | null {
  let parsed = cache.get(entry);
  if (!parsed) {
    try {
      parsed = ipaddr.parseCIDR(entry);
    } catch {
      return null;
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(entry, parsed);
  }
  return parsed;
}

/** The entry containing `ip` (IPv4-mapped IPv6 counts as IPv4), or null. */
export function matchIp(ip: string | null, entries: readonly string[]): string | null {
  const addr = ip ? parseIp(ip) : null;
  if (!addr) return null;
  for (const entry of entries) {
    const range = cidr(entry);
    if (range && range[0].kind() === addr.kind() && addr.match(range)) return entry;
  }
  return null;
}

/** The canonical text of a client IP (mapped IPv6 as IPv4), or null. */
export function canonicalIp(ip: string | null | undefined): string | null {
  const addr = ip ? parseIp(ip) : null;
  return addr ? text(addr) : null;
}
