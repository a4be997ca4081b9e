import dns from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { DomainError } from "../errors";
import { imageTooLarge } from "./image-errors";

export type RemoteFetchPolicy = {
  timeoutMs: number;
  maxRedirects: number;
  /** Only for tests that serve images from loopback; never set in production. */
  allowPrivateAddresses: boolean;
};

const DEFAULT_POLICY: RemoteFetchPolicy = {
  timeoutMs: 10_000,
  maxRedirects: 3,
  allowPrivateAddresses: false,
};
let policy = DEFAULT_POLICY;

/** Tests override parts of the policy; `undefined` restores the defaults. */
export function setRemoteFetchPolicy(override: Partial<RemoteFetchPolicy> | undefined): void {
  policy = { ...DEFAULT_POLICY, ...override };
}

type Resolved = { address: string; family: 4 | 6 };

/**
 * Fetches an image from a customer-supplied http(s) URL, as an SSRF-safe client: every address the host
 * resolves to must be public unicast (no loopback, private, link-local, CGNAT, multicast, reserved,
 * IPv4-mapped tricks), the connection goes to the address that was checked (no DNS rebinding), each
 * redirect is checked the same way, the whole fetch has a deadline, and reading stops past `maxBytes`.
 */
export async function fetchRemoteImage(url: string, field: string, maxBytes: number): Promise<Buffer> {
  const deadline = Date.now() + policy.timeoutMs;
  let current = url;
  for (let hop = 0; hop <= policy.maxRedirects; hop++) {
    const target = parseTarget(current, field);
    const resolved = await resolvePublic(target.hostname, field);
    const result = await get(target, resolved, field, maxBytes, deadline);
    if (result.kind === "body") return result.body;
    current = new URL(result.location, target).toString();
  }
  throw refuse(field, "too_many_redirects", "The image URL redirects too many times.");
}

function refuse(field: string, reason: string, message: string): DomainError {
  return new DomainError("invalid_image", { message, details: { field, reason } });
}

function parseTarget(url: string, field: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw refuse(field, "invalid_url", "The image URL is not a valid URL.");
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw refuse(field, "invalid_url", "Only http and https image URLs are fetched.");
  }
  if (target.username || target.password) {
    throw refuse(field, "invalid_url", "Image URLs must not carry credentials.");
  }
  return target;
}

/** True for addresses a server-side fetch must never reach (everything but public unicast). */
export function isForbiddenAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  // process() turns IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 address it really is.
  return ipaddr.process(address).range() !== "unicast";
}

async function resolvePublic(hostname: string, field: string): Promise<Resolved> {
  const host = hostname.replace(/^\[|\]$/g, "");
  let addresses: Resolved[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: host.includes(":") ? 6 : 4 }];
  } else {
    try {
      const found = await dns.lookup(host, { all: true, verbatim: true });
      addresses = found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } catch {
      throw refuse(field, "unresolvable", `The image URL's host ${host} could not be resolved.`);
    }
  }
  if (!addresses.length) throw refuse(field, "unresolvable", `The image URL's host ${host} has no address.`);
  if (!policy.allowPrivateAddresses && addresses.some((a) => isForbiddenAddress(a.address))) {
    throw refuse(
      field,
      "forbidden_address",
      "The image URL points at a private or reserved address; it is not fetched.",
    );
  }
  return addresses[0]!;
}

type GetResult = { kind: "body"; body: Buffer } | { kind: "redirect"; location: string };

function get(
  target: URL,
  resolved: Resolved,
  field: string,
  maxBytes: number,
  deadline: number,
): Promise<GetResult> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [resolved]);
    else callback(null, resolved.address, resolved.family);
  };
  const client = target.protocol === "https:" ? https : http;
  return new Promise<GetResult>((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return reject(refuse(field, "timeout", "Fetching the image URL timed out."));
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const req = client.get(
      target,
      {
        lookup,
        headers: { accept: "image/png, image/jpeg, image/webp", "user-agent": "genmedia-fetcher/1" },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          return finish(() => resolve({ kind: "redirect", location: res.headers.location! }));
        }
        if (status < 200 || status >= 300) {
          res.resume();
          return finish(() =>
            reject(refuse(field, "fetch_failed", `Fetching the image URL failed with HTTP ${status}.`)),
          );
        }
        const declared = Number(res.headers["content-length"]);
        if (Number.isFinite(declared) && declared > maxBytes) {
          req.destroy();
          return finish(() => reject(imageTooLarge(maxBytes, declared)));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            return finish(() => reject(imageTooLarge(maxBytes, size)));
          }
          chunks.push(chunk);
        });
        res.on("end", () => finish(() => resolve({ kind: "body", body: Buffer.concat(chunks) })));
        res.on("error", () =>
          finish(() =>
            reject(refuse(field, "fetch_failed", "The connection broke while fetching the image URL.")),
          ),
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish(() => reject(refuse(field, "timeout", "Fetching the image URL timed out.")));
    }, remaining);
    req.on("error", () =>
      finish(() => reject(refuse(field, "fetch_failed", "The image URL could not be fetched."))),
    );
  });
}
