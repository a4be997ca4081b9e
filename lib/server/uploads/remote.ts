import { Resolver } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { env } from "../env";
import { DomainError } from "../errors";
import { imageTooLarge } from "./image-errors";

export type RemoteFetchPolicy = {
  /** The whole fetch: waiting for a slot, every DNS query, connection, redirects and body. */
  timeoutMs: number;
  /** One host's DNS resolution, at most (and never past the fetch's deadline). */
  dnsTimeoutMs: number;
  maxRedirects: number;
  /** Only for tests that serve images from loopback; never set in production. */
  allowPrivateAddresses: boolean;
  /** Only for tests: the DNS servers asked (default: the system's, from /etc/resolv.conf). */
  dnsServers?: string[];
};

const DEFAULT_POLICY: RemoteFetchPolicy = {
  timeoutMs: 10_000,
  dnsTimeoutMs: 3_000,
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
 * At most MAX_CONCURRENT_REMOTE_FETCHES run at once in the process; past it a fetch waits for a slot
 * within its own deadline, then is service_unavailable (503, Retry-After).
 */
export async function fetchRemoteImage(url: string, field: string, maxBytes: number): Promise<Buffer> {
  const deadline = Date.now() + policy.timeoutMs;
  const target = parseTarget(url, field);
  const release = await fetchSlots().acquire(deadline);
  try {
    let current = target;
    for (let hop = 0; hop <= policy.maxRedirects; hop++) {
      const resolved = await resolvePublic(current.hostname, field, deadline);
      const result = await get(current, resolved, field, maxBytes, deadline);
      if (result.kind === "body") return result.body;
      current = parseTarget(new URL(result.location, current).toString(), field);
    }
    throw refuse(field, "too_many_redirects", "The image URL redirects too many times.");
  } finally {
    release();
  }
}

/** A counting semaphore whose waiters give up at their deadline. */
export class FetchSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get inUse(): number {
    return this.active;
  }

  /** Resolves with the slot's release once one is free; rejects with service_unavailable at `deadline`. */
  acquire(deadline: number): Promise<() => void> {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      // A slot handed over by release(): `active` stays the same, it changes owner.
      const take = () => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(
        () => {
          const at = this.waiting.indexOf(take);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(
            new DomainError("service_unavailable", {
              status: 503,
              message: "Too many image URLs are being fetched right now. Retry shortly.",
              details: { reason: "remote_fetch_busy" },
              retryAfter: 1,
            }),
          );
        },
        Math.max(0, deadline - Date.now()),
      );
      this.waiting.push(take);
    });
  }
}

// One set of slots per process, shared across module copies (Next's bundle and tsx).
const SLOTS = Symbol.for("genmedia.remote-fetch-slots");
const g = globalThis as typeof globalThis & { [SLOTS]?: FetchSlots };

export function fetchSlots(): FetchSlots {
  const limit = env().MAX_CONCURRENT_REMOTE_FETCHES;
  if (g[SLOTS]?.limit !== limit || !g[SLOTS]) g[SLOTS] = new FetchSlots(limit);
  return g[SLOTS];
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

async function resolvePublic(hostname: string, field: string, deadline: number): Promise<Resolved> {
  const host = hostname.replace(/^\[|\]$/g, "");
  // RFC 6761: localhost names are loopback whatever DNS says (the resolver does not read /etc/hosts).
  if (/(^|\.)localhost\.?$/i.test(host) && !policy.allowPrivateAddresses) {
    throw refuse(field, "forbidden_address", "The image URL points at this machine; it is not fetched.");
  }
  const addresses: Resolved[] = ipaddr.isValid(host)
    ? [{ address: host, family: host.includes(":") ? 6 : 4 }]
    : await resolveHost(host, field, deadline);
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

/**
 * A and AAAA through c-ares (`dns.Resolver`), not `dns.lookup`: getaddrinfo runs on libuv's four-thread
 * pool with no timeout, so a few slow hostnames would stall every file read of the process. Bounded by
 * dnsTimeoutMs and the fetch's deadline; a query still out then is cancelled.
 */
async function resolveHost(host: string, field: string, deadline: number): Promise<Resolved[]> {
  const budget = Math.min(policy.dnsTimeoutMs, deadline - Date.now());
  const timedOut = () => refuse(field, "timeout", `Resolving the image URL's host ${host} timed out.`);
  if (budget <= 0) throw timedOut();
  const resolver = new Resolver({ timeout: budget, tries: 1 });
  if (policy.dnsServers) resolver.setServers(policy.dnsServers);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), budget);
  });
  try {
    const answers = await Promise.race([
      Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]),
      expired,
    ]);
    if (answers === "timeout") throw timedOut();
    const addresses: Resolved[] = [];
    for (const [answer, family] of [
      [answers[0], 4],
      [answers[1], 6],
    ] as const) {
      if (answer.status === "fulfilled") {
        for (const address of answer.value) addresses.push({ address, family });
      }
    }
    if (addresses.length) return addresses;
    const codes = answers.map((a) => (a.status === "rejected" ? (a.reason as { code?: string }).code : null));
    if (codes.includes("ETIMEOUT")) throw timedOut();
    throw refuse(field, "unresolvable", `The image URL's host ${host} could not be resolved.`);
  } finally {
    clearTimeout(timer);
    resolver.cancel();
  }
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
