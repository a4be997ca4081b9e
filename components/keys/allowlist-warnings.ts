import ipaddr from "ipaddr.js";

const RANGE_NAMES: Record<string, string> = {
  private: "a private (RFC 1918) range",
  loopback: "the loopback range",
  linkLocal: "a link-local range",
  uniqueLocal: "a unique-local (private) IPv6 range",
  carrierGradeNat: "a carrier-grade NAT range",
  reserved: "a reserved (documentation or test) range",
  unspecified: "the unspecified address",
  broadcast: "the broadcast address",
  multicast: "a multicast range",
};

/** Advice (not errors) about an origin entry: plain http:// can be read on the way. */
export function originWarning(entry: string): string | null {
  if (/^http:\/\//i.test(entry.trim())) {
    return "http:// is unencrypted: the key can be read on the network. Use https:// outside local development.";
  }
  return null;
}

/** Advice about an IP entry: private ranges never reach us from the internet; very wide ranges barely restrict. */
export function ipWarning(entry: string): string | null {
  const [host = "", bits] = entry.trim().split("/");
  if (!ipaddr.isValid(host)) return null;
  let addr = ipaddr.parse(host);
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  }
  const range = addr.range();
  if (range in RANGE_NAMES) {
    return `This is ${RANGE_NAMES[range]}: requests from the internet never come from it, only from your own network or a proxy.`;
  }
  const prefix = bits === undefined ? null : Number(bits);
  if (
    prefix !== null &&
    ((addr.kind() === "ipv4" && prefix < 8) || (addr.kind() === "ipv6" && prefix < 16))
  ) {
    return "A very wide range: it barely restricts the key.";
  }
  return null;
}
