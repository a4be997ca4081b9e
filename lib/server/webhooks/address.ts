import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { DomainError } from "../errors";

/**
 * Where a webhook may go. An endpoint's URL is checked when it is saved (https, no credentials, no
 * literal private address) and its host again at every delivery: resolved, every address checked, and
 * the connection made to the checked address (never a second lookup a DNS server could answer
 * differently).
 */

export type Resolved = { address: string; family: 4 | 6 };

/** Only globally routable unicast addresses; loopback too when `allowLoopback` (development). */
export function isDeliverableAddress(address: string, allowLoopback: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process(): an IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 it is.
  const range = ipaddr.process(address).range();
  if (range === "unicast") return true;
  return allowLoopback && range === "loopback";
}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, "");

function invalidUrl(message: string): DomainError {
  return new DomainError("invalid_request", {
    message,
    details: { fields: [{ path: "url", message }] },
  });
}

/** The endpoint URL as saved, or invalid_request on `url`. */
export function validateEndpointUrl(raw: string, allowLoopback: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidUrl("Not a URL.");
  }
  const host = bareHost(url.hostname);
  const literal = ipaddr.isValid(host);
  const loopbackHost = host === "localhost" || (literal && ipaddr.process(host).range() === "loopback");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowLoopback && loopbackHost))
    throw invalidUrl(
      allowLoopback ? "Use https:// (http:// only for a loopback address)." : "Use an https:// URL.",
    );
  if (url.username || url.password) throw invalidUrl("Credentials do not belong in the URL.");
  if (url.hash) throw invalidUrl("A URL fragment is never sent; remove it.");
  if (!host) throw invalidUrl("The URL has no host.");
  if (literal && !isDeliverableAddress(host, allowLoopback))
    throw invalidUrl(
      "That address is private, loopback or link-local: webhooks go to public addresses only.",
    );
  if (!literal && host === "localhost" && !allowLoopback)
    throw invalidUrl(
      "That address is private, loopback or link-local: webhooks go to public addresses only.",
    );
  return url.toString();
}

export class RefusedAddress extends Error {
  constructor(
    readonly host: string,
    readonly addresses: string[],
  ) {
    super(
      addresses.length
        ? `${host} resolves to ${addresses.join(", ")}, which is not a public address: not delivered.`
        : `${host} does not resolve.`,
    );
    this.name = "RefusedAddress";
  }
}

export type Resolver = (host: string) => Promise<Resolved[]>;

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/**
 * The one address a delivery connects to: every address the host resolves to must be deliverable
 * (one private answer among public ones refuses the whole host), then the first is used.
 */
export async function resolveDeliverable(
  hostname: string,
  allowLoopback: boolean,
  resolve: Resolver = systemResolver,
): Promise<Resolved> {
  const host = bareHost(hostname);
  if (ipaddr.isValid(host)) {
    if (!isDeliverableAddress(host, allowLoopback)) throw new RefusedAddress(host, [host]);
    return { address: host, family: ipaddr.parse(host).kind() === "ipv6" ? 6 : 4 };
  }
  let found: Resolved[];
  try {
    found = await resolve(host);
  } catch {
    throw new RefusedAddress(host, []);
  }
  if (!found.length) throw new RefusedAddress(host, []);
  const refused = found.filter((a) => !isDeliverableAddress(a.address, allowLoopback));
  if (refused.length)
    throw new RefusedAddress(
      host,
      refused.map((a) => a.address),
    );
  return found[0]!;
}
