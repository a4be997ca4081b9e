import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";

/** The header our own servers set from the socket; a client-sent copy is always deleted first. */
export const CLIENT_IP_HEADER = "x-genmedia-client-ip";

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses one address; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes IPv4. Null if not an address. */
export function parseIp(value: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const trimmed = value.trim().replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(trimmed)) return null;
  const addr = ipaddr.parse(trimmed);
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (addr as ipaddr.IPv6).toIPv4Address();
  }
  return addr;
}

/** Canonical text of an address (mapped IPv6 shown as IPv4). */
export function normalizeIp(value: string): string | null {
  return parseIp(value)?.toString() ?? null;
}

/**
 * One X-Forwarded-For hop. Proxies may append the port (`1.2.3.4:5678`, `[2001:db8::1]:443`) or quote
 * the value; a bare IPv6 address has colons too, so a port is only split off IPv4 or a bracketed IPv6.
 */
export function parseHop(value: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const hop = value.trim().replace(/^"(.*)"$/, "$1");
  const withPort = /^(?:\[([^\]]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})$/.exec(hop);
  if (!withPort) return parseIp(hop);
  if (Number(withPort[3]) > 65535) return null;
  return parseIp(withPort[1] ?? withPort[2] ?? "");
}

/**
 * The key a per-address limit counts under: an IPv4 address, or an IPv6 address's /64 — one
 * subscriber usually holds a whole /64, so counting single IPv6 addresses would limit nothing.
 */
export function ipBucket(ip: string | null): string {
  const addr = ip ? parseIp(ip) : null;
  if (!addr) return "unknown";
  if (addr.kind() === "ipv4") return addr.toString();
  const bytes = addr.toByteArray().slice(0, 8);
  return `${ipaddr.fromByteArray([...bytes, 0, 0, 0, 0, 0, 0, 0, 0]).toString()}/64`;
}

export function parseCidrList(list: string): Cidr[] {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      if (entry.includes("/")) return ipaddr.parseCIDR(entry);
      const addr = parseIp(entry);
      if (!addr) throw new Error(`TRUSTED_PROXIES: not an address or CIDR: ${entry}`);
      return [addr, addr.kind() === "ipv4" ? 32 : 128] as Cidr;
    });
}

export function inCidrs(addr: ipaddr.IPv4 | ipaddr.IPv6, cidrs: readonly Cidr[]): boolean {
  return cidrs.some(([range, bits]) => range.kind() === addr.kind() && addr.match(range, bits));
}

/**
 * The client's address: the socket's, unless the socket is a trusted proxy — then X-Forwarded-For is
 * read right to left, skipping trusted proxies, and the first untrusted hop is the client.
 */
export function resolveClientIp(
  socketAddress: string | undefined,
  forwardedFor: string | null | undefined,
  trusted: readonly Cidr[],
): string | null {
  const socket = socketAddress ? parseIp(socketAddress) : null;
  if (!socket) return null;
  if (!trusted.length || !inCidrs(socket, trusted) || !forwardedFor) return socket.toString();
  const hops = forwardedFor
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  let client = socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!inCidrs(client, trusted)) break;
    const hop = parseHop(hops[i] ?? "");
    if (!hop) break;
    client = hop;
  }
  return client.toString();
}

let trustedFromEnv: Cidr[] | undefined;

/** The client IP of a request on one of our node:http sockets, with TRUSTED_PROXIES (read once). */
export function clientIpOf(incoming: IncomingMessage): string | null {
  trustedFromEnv ??= parseCidrList(process.env.TRUSTED_PROXIES ?? "");
  const xff = incoming.headers["x-forwarded-for"];
  return resolveClientIp(
    incoming.socket.remoteAddress,
    Array.isArray(xff) ? xff.join(",") : xff,
    trustedFromEnv,
  );
}
