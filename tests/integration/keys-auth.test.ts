import { type AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Key, KeyWithSecret } from "@/lib/api/contract/keys.schema";
import { getApiApp } from "@/lib/server/api/app";
import { getDb } from "@/lib/server/db/client";
import {
  apiKeys,
  auditLog,
  customers,
  idempotencyKeys,
  keySecrets,
  requestLog,
} from "@/lib/server/db/schema";
import { keyAuthCacheSettled } from "@/lib/server/keys/auth-cache";
import { resetKeyUsageThrottle } from "@/lib/server/keys/usage";
import { CLIENT_IP_HEADER } from "@/lib/server/net/client-ip";
import { flushRequestLog } from "@/lib/server/request-log/writer";
import { api, json, ORIGIN, signIn, signUp, uniqueEmail } from "../support/api";

// Bearer authentication with keys: the four codes, their order, spoofing, roll and revoke.

type Envelope = {
  error: { code: string; message: string; request_id: string; details?: Record<string, unknown> };
};

let demo: string;
beforeAll(async () => {
  demo = await signIn("demo@example.com", "demo-password-1");
});

async function createKey(cookie: string, body: Record<string, unknown> = {}): Promise<KeyWithSecret> {
  const res = await api("/keys", {
    method: "POST",
    headers: { cookie, origin: ORIGIN },
    json: { name: `test ${Math.random().toString(36).slice(2, 8)}`, ...body },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<KeyWithSecret>(res);
}

async function patchKey(cookie: string, id: string, body: Record<string, unknown>): Promise<Response> {
  return api(`/keys/${id}`, { method: "PATCH", headers: { cookie, origin: ORIGIN }, json: body });
}

/** A program's request with a key; `ip` simulates the socket address server.ts puts in its header. */
function withKey(
  secret: string,
  opts: { ip?: string; origin?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${secret}`, ...opts.headers };
  if (opts.ip) headers[CLIENT_IP_HEADER] = opts.ip;
  if (opts.origin !== undefined) headers.origin = opts.origin;
  return api("/products", { headers });
}

// Over HTTP (API_BASE_URL) server.ts replaces the simulated client-IP header with the socket's: skip those.
const simulatedIp = it.skipIf(Boolean(process.env.API_BASE_URL));

async function expectError(res: Response, status: number, code: string): Promise<Envelope["error"]> {
  const body = await json<Envelope>(res);
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  expect(res.headers.get("x-request-id")).toBe(body.error.request_id);
  return body.error;
}

describe("authentication_failed (401)", () => {
  // @code:authentication_failed
  it("is the answer for a missing, malformed, wrong-checksum or unknown key", async () => {
    const key = await createKey(demo);
    const random = key.secret.slice(8, 40);
    const checksum = key.secret.slice(40);
    const flipped = checksum[0] === "A" ? `B${checksum.slice(1)}` : `A${checksum.slice(1)}`;
    const cases: [string, Record<string, string>][] = [
      ["no header", {}],
      ["not Bearer", { authorization: `Basic ${key.secret}` }],
      ["malformed", { authorization: "Bearer sk_live_nope" }],
      ["wrong checksum", { authorization: `Bearer sk_live_${random}${flipped}` }],
      ["too long", { authorization: `Bearer ${key.secret}x` }],
      ["test prefix", { authorization: `Bearer sk_test_${random}${checksum}` }],
    ];
    for (const [name, headers] of cases) {
      const res = await api("/products", { headers });
      const error = await expectError(res, 401, "authentication_failed");
      expect(error.message, name).not.toContain(key.secret);
    }
    // Well-formed with a valid checksum, but never issued.
    const { generateSecret } = await import("@/lib/server/keys/secret");
    const unknown = await expectError(await withKey(generateSecret()), 401, "authentication_failed");
    expect(unknown.message).toMatch(/Unknown API key/);
  });

  it("accepts a live key and the Bearer scheme in any case", async () => {
    const key = await createKey(demo);
    expect(key.secret).toMatch(/^sk_live_[0-9A-Za-z]{38}$/);
    expect((await withKey(key.secret)).status).toBe(200);
    const res = await api("/products", { headers: { authorization: `bearer ${key.secret}` } });
    expect(res.status).toBe(200);
  });

  it("refuses an expired key", async () => {
    const key = await createKey(demo);
    expect((await withKey(key.secret)).status).toBe(200);
    const db = await getDb();
    await db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, key.id));
    // A change made in SQL reaches key verification's caches through its trigger's notification.
    await keyAuthCacheSettled();
    const error = await expectError(await withKey(key.secret), 401, "authentication_failed");
    expect(error.message).toMatch(/expired/);
  });

  it("refuses a key on the console-only /keys endpoints", async () => {
    const key = await createKey(demo);
    const res = await api("/keys", { headers: { authorization: `Bearer ${key.secret}` } });
    await expectError(res, 401, "authentication_failed");
  });
});

describe("account_disabled (403)", () => {
  // @code:account_disabled
  it("answers a paused key with scope key, and works again once resumed", async () => {
    const key = await createKey(demo);
    expect((await patchKey(demo, key.id, { status: "paused" })).status).toBe(200);
    const error = await expectError(await withKey(key.secret), 403, "account_disabled");
    expect(error.details).toEqual({ scope: "key" });
    expect((await patchKey(demo, key.id, { status: "active" })).status).toBe(200);
    expect((await withKey(key.secret)).status).toBe(200);
  });

  // @code:account_disabled
  it("answers a paused customer with scope customer, for its keys and its console session", async () => {
    const cookie = await signUp(uniqueEmail("paused"), "a-long-password-1", "Paused Co");
    const key = await createKey(cookie);
    const db = await getDb();
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    await db.update(customers).set({ status: "paused" }).where(eq(customers.id, row!.customerId));
    await keyAuthCacheSettled();
    const viaKey = await expectError(await withKey(key.secret), 403, "account_disabled");
    expect(viaKey.details).toEqual({ scope: "customer" });
    const viaSession = await expectError(
      await api("/keys", { headers: { cookie } }),
      403,
      "account_disabled",
    );
    expect(viaSession.details).toEqual({ scope: "customer" });
  });
});

describe("ip_not_allowed (403)", () => {
  // @code:ip_not_allowed
  simulatedIp("refuses an IP outside the list and echoes the observed IP", async () => {
    const key = await createKey(demo, { allowed_ips: ["203.0.113.0/24", "2001:db8::/32"] });
    expect((await withKey(key.secret, { ip: "203.0.113.7" })).status).toBe(200);
    expect((await withKey(key.secret, { ip: "2001:db8:1::5" })).status).toBe(200);
    // IPv4-mapped IPv6 counts as IPv4.
    expect((await withKey(key.secret, { ip: "::ffff:203.0.113.9" })).status).toBe(200);
    const error = await expectError(await withKey(key.secret, { ip: "198.51.100.4" }), 403, "ip_not_allowed");
    expect(error.details).toEqual({ ip: "198.51.100.4" });
    const mapped = await expectError(
      await withKey(key.secret, { ip: "::ffff:198.51.100.4" }),
      403,
      "ip_not_allowed",
    );
    expect(mapped.details).toEqual({ ip: "198.51.100.4" });
  });

  simulatedIp("refuses when the client IP is unknown", async () => {
    const key = await createKey(demo, { allowed_ips: ["203.0.113.7"] });
    const error = await expectError(await withKey(key.secret), 403, "ip_not_allowed");
    expect(error.details).toEqual({ ip: null });
  });

  simulatedIp(
    "does not believe a client-sent X-Forwarded-For (in-process: the server's own header decides)",
    async () => {
      const key = await createKey(demo, { allowed_ips: ["203.0.113.7"] });
      const res = await withKey(key.secret, {
        ip: "198.51.100.4",
        headers: {
          "x-forwarded-for": "203.0.113.7",
          "x-real-ip": "203.0.113.7",
          forwarded: "for=203.0.113.7",
        },
      });
      const error = await expectError(res, 403, "ip_not_allowed");
      expect(error.details).toEqual({ ip: "198.51.100.4" });
    },
  );
});

describe("standalone (npm run api): the client IP is the socket's", () => {
  let server: ReturnType<typeof serve>;
  let base: string;
  beforeAll(async () => {
    const app = getApiApp();
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("ignores a spoofed X-Forwarded-For and the internal header from an untrusted client", async () => {
    const key = await createKey(demo, { allowed_ips: ["203.0.113.7"] });
    const res = await fetch(`${base}/api/v1/products`, {
      headers: {
        authorization: `Bearer ${key.secret}`,
        "x-forwarded-for": "203.0.113.7",
        [CLIENT_IP_HEADER]: "203.0.113.7",
      },
    });
    const error = await expectError(res, 403, "ip_not_allowed");
    expect(error.details).toEqual({ ip: "127.0.0.1" });
    await patchKey(demo, key.id, { allowed_ips: ["127.0.0.1"] });
    const ok = await fetch(`${base}/api/v1/products`, { headers: { authorization: `Bearer ${key.secret}` } });
    expect(ok.status).toBe(200);
  });
});

describe("origin_not_allowed (403)", () => {
  // @code:origin_not_allowed
  it("matches exact origins and wildcard subdomains, echoing what was sent", async () => {
    const key = await createKey(demo, {
      allowed_origins: ["https://app.example.com", "https://*.example.org"],
    });
    expect((await withKey(key.secret, { origin: "https://app.example.com" })).status).toBe(200);
    expect((await withKey(key.secret, { origin: "https://a.b.example.org" })).status).toBe(200);
    for (const origin of [
      "https://example.org",
      "http://app.example.com",
      "https://app.example.com:8443",
      "https://evil.com",
      "https://app.example.com.evil.com",
    ]) {
      const error = await expectError(await withKey(key.secret, { origin }), 403, "origin_not_allowed");
      expect(error.details).toEqual({ origin });
    }
  });

  it("refuses a request with no Origin, or Origin: null", async () => {
    const key = await createKey(demo, { allowed_origins: ["https://app.example.com"] });
    const none = await expectError(await withKey(key.secret), 403, "origin_not_allowed");
    expect(none.details).toEqual({ origin: null });
    const nul = await expectError(await withKey(key.secret, { origin: "null" }), 403, "origin_not_allowed");
    expect(nul.details).toEqual({ origin: "null" });
  });

  it("counts a browser's same-origin request (no Origin, Sec-Fetch-Site: same-origin) as from this origin", async () => {
    const self = new URL(process.env.API_BASE_URL ?? ORIGIN).origin;
    const key = await createKey(demo, { allowed_origins: [self] });
    const polled = await withKey(key.secret, { headers: { "sec-fetch-site": "same-origin" } });
    expect(polled.status).toBe(200);
    // Only same-origin: a cross-site request without Origin is still refused.
    const cross = await withKey(key.secret, { headers: { "sec-fetch-site": "cross-site" } });
    expect((await expectError(cross, 403, "origin_not_allowed")).details).toEqual({ origin: null });
    const other = await createKey(demo, { allowed_origins: ["https://app.example.com"] });
    const elsewhere = await withKey(other.secret, { headers: { "sec-fetch-site": "same-origin" } });
    expect((await expectError(elsewhere, 403, "origin_not_allowed")).details).toEqual({ origin: self });
  });

  simulatedIp("with both lists set, both must pass", async () => {
    const key = await createKey(demo, {
      allowed_origins: ["https://app.example.com"],
      allowed_ips: ["203.0.113.7"],
    });
    expect((await withKey(key.secret, { ip: "203.0.113.7", origin: "https://app.example.com" })).status).toBe(
      200,
    );
    await expectError(
      await withKey(key.secret, { ip: "203.0.113.7", origin: "https://x.com" }),
      403,
      "origin_not_allowed",
    );
    await expectError(
      await withKey(key.secret, { ip: "203.0.113.8", origin: "https://app.example.com" }),
      403,
      "ip_not_allowed",
    );
  });
});

describe("order of checks: authentication → paused → IP → origin", () => {
  simulatedIp("reports the first failing check", async () => {
    const key = await createKey(demo, {
      allowed_origins: ["https://app.example.com"],
      allowed_ips: ["203.0.113.7"],
    });
    const bad = { ip: "198.51.100.1", origin: "https://evil.example" };
    await expectError(await withKey(key.secret, bad), 403, "ip_not_allowed");
    await patchKey(demo, key.id, { status: "paused" });
    await expectError(await withKey(key.secret, bad), 403, "account_disabled");
    await api(`/keys/${key.id}`, {
      method: "DELETE",
      headers: { cookie: demo, origin: ORIGIN, "content-type": "application/json" },
    });
    await expectError(await withKey(key.secret, bad), 401, "authentication_failed");
  });

  simulatedIp("logs a refusal after authentication against the key, by prefix only", async () => {
    const key = await createKey(demo, { allowed_ips: ["203.0.113.7"] });
    const res = await withKey(key.secret, { ip: "198.51.100.1" });
    const id = res.headers.get("x-request-id")!;
    await flushRequestLog();
    const db = await getDb();
    const [row] = await db.select().from(requestLog).where(eq(requestLog.requestId, id));
    expect(row).toMatchObject({ code: "ip_not_allowed", keyId: key.id, keyPrefix: key.prefix, status: 403 });
    expect(row?.customerId).toBe("cus_demo");
  });
});

describe("roll", () => {
  it("keeps the old secret working for the grace period, then refuses it", async () => {
    const key = await createKey(demo);
    const res = await api(`/keys/${key.id}/roll`, {
      method: "POST",
      headers: { cookie: demo, origin: ORIGIN },
      json: { expire_old_in_seconds: 3600 },
    });
    expect(res.status).toBe(200);
    const rolled = await json<KeyWithSecret>(res);
    expect(rolled.secret).not.toBe(key.secret);
    expect(rolled.prefix).toBe(rolled.secret.slice(0, 12));
    expect((await withKey(key.secret)).status).toBe(200);
    expect((await withKey(rolled.secret)).status).toBe(200);
    const db = await getDb();
    const secrets = await db.select().from(keySecrets).where(eq(keySecrets.keyId, key.id));
    const old = secrets.find((s) => s.expiresAt !== null)!;
    expect(Math.abs(old.expiresAt!.getTime() - (Date.now() + 3600_000))).toBeLessThan(60_000);
    // The grace period passes.
    await db
      .update(keySecrets)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(keySecrets.secretHash, old.secretHash));
    await keyAuthCacheSettled();
    await expectError(await withKey(key.secret), 401, "authentication_failed");
    expect((await withKey(rolled.secret)).status).toBe(200);
  });

  it("with no grace (the default) the old secret stops at once", async () => {
    const key = await createKey(demo);
    const res = await api(`/keys/${key.id}/roll`, {
      method: "POST",
      headers: { cookie: demo, origin: ORIGIN },
      json: {},
    });
    const rolled = await json<KeyWithSecret>(res);
    await expectError(await withKey(key.secret), 401, "authentication_failed");
    expect((await withKey(rolled.secret)).status).toBe(200);
  });

  it("a second roll never extends a secret already expiring sooner", async () => {
    const key = await createKey(demo);
    const roll = (s: number) =>
      api(`/keys/${key.id}/roll`, {
        method: "POST",
        headers: { cookie: demo, origin: ORIGIN },
        json: { expire_old_in_seconds: s },
      });
    const first = await json<KeyWithSecret>(await roll(0));
    await expectError(await withKey(key.secret), 401, "authentication_failed");
    const second = await json<KeyWithSecret>(await roll(7 * 24 * 3600));
    await expectError(await withKey(key.secret), 401, "authentication_failed");
    expect((await withKey(first.secret)).status).toBe(200);
    expect((await withKey(second.secret)).status).toBe(200);
  });

  it("refuses a grace outside 0..604800 with a field path", async () => {
    const key = await createKey(demo);
    for (const value of [-1, 604801, 1.5, "soon"]) {
      const res = await api(`/keys/${key.id}/roll`, {
        method: "POST",
        headers: { cookie: demo, origin: ORIGIN },
        json: { expire_old_in_seconds: value },
      });
      const error = await expectError(res, 400, "invalid_request");
      expect(error.details?.fields).toEqual([{ path: "expire_old_in_seconds", message: expect.any(String) }]);
    }
  });
});

describe("revoke", () => {
  it("is permanent: every secret of the key stops, including one in a roll's grace period", async () => {
    const key = await createKey(demo);
    const rolled = await json<KeyWithSecret>(
      await api(`/keys/${key.id}/roll`, {
        method: "POST",
        headers: { cookie: demo, origin: ORIGIN },
        json: { expire_old_in_seconds: 3600 },
      }),
    );
    const res = await api(`/keys/${key.id}`, {
      method: "DELETE",
      headers: { cookie: demo, origin: ORIGIN, "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    const revoked = await json<Key>(res);
    expect(revoked.status).toBe("revoked");
    expect(revoked.revoked_at).not.toBeNull();
    for (const secret of [key.secret, rolled.secret]) {
      const error = await expectError(await withKey(secret), 401, "authentication_failed");
      expect(error.message).toMatch(/revoked/);
    }
    const again = await patchKey(demo, key.id, { status: "active" });
    const state = await expectError(again, 409, "invalid_state");
    expect(state.details).toEqual({ status: "revoked", allowed_from: ["active", "paused"] });
    await expectError(
      await api(`/keys/${key.id}/roll`, {
        method: "POST",
        headers: { cookie: demo, origin: ORIGIN },
        json: {},
      }),
      409,
      "invalid_state",
    );
  });
});

describe("last use", () => {
  simulatedIp("records time, IP and origin off the request's path, at most once a minute", async () => {
    resetKeyUsageThrottle();
    const key = await createKey(demo);
    expect(key.last_used_at).toBeNull();
    await withKey(key.secret, { ip: "203.0.113.50", origin: "https://first.example" });
    const db = await getDb();
    let row: typeof apiKeys.$inferSelect | undefined;
    for (let i = 0; i < 50 && !row?.lastUsedAt; i++) {
      await new Promise((r) => setTimeout(r, 20));
      [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    }
    expect(row).toMatchObject({ lastUsedIp: "203.0.113.50", lastUsedOrigin: "https://first.example" });
    await withKey(key.secret, { ip: "203.0.113.51", origin: "https://second.example" });
    await new Promise((r) => setTimeout(r, 200));
    [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row?.lastUsedIp).toBe("203.0.113.50");
    const listed = await json<{ data: Key[] }>(await api("/keys?limit=100", { headers: { cookie: demo } }));
    expect(listed.data.find((k) => k.id === key.id)).toMatchObject({ last_used_ip: "203.0.113.50" });
  });
});

describe("the secret is shown once and stored nowhere", () => {
  simulatedIp(
    "never appears in the request log, the audit trail, idempotency records, later responses or server output",
    async () => {
      const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m));
      const key = await createKey(demo, { allowed_ips: ["203.0.113.7"] });
      const rolled = await json<KeyWithSecret>(
        await api(`/keys/${key.id}/roll`, {
          method: "POST",
          headers: { cookie: demo, origin: ORIGIN, "idempotency-key": `idem-${key.id}` },
          json: { expire_old_in_seconds: 60 },
        }),
      );
      const secrets = [key.secret, rolled.secret];
      const ids: string[] = [];
      const track = async (res: Response) => {
        ids.push(res.headers.get("x-request-id")!);
        return res.text();
      };
      const later = [
        await track(await withKey(key.secret, { ip: "203.0.113.7" })),
        await track(await withKey(rolled.secret, { ip: "198.51.100.1" })),
        await track(await api("/products", { headers: { authorization: `Bearer ${key.secret}x` } })),
        await track(await api("/keys", { headers: { cookie: demo } })),
        await track(await api(`/keys/${key.id}`, { headers: { cookie: demo } })),
        await track(await patchKey(demo, key.id, { name: "renamed" })),
        await track(await api("/keys", { headers: { authorization: `Bearer ${key.secret}` } })),
      ];
      await flushRequestLog();
      const db = await getDb();
      const dumps = [
        JSON.stringify(await db.select().from(requestLog).where(inArray(requestLog.requestId, ids))),
        JSON.stringify(await db.select().from(requestLog).where(eq(requestLog.keyId, key.id))),
        JSON.stringify(await db.select().from(auditLog).where(eq(auditLog.targetId, key.id))),
        JSON.stringify(await db.select().from(idempotencyKeys)),
        JSON.stringify(await db.select().from(apiKeys).where(eq(apiKeys.id, key.id))),
        JSON.stringify(await db.select().from(keySecrets).where(eq(keySecrets.keyId, key.id))),
        JSON.stringify(spies.flatMap((s) => s.mock.calls)),
        ...later,
      ];
      // Whole-table scans too: nothing in either log holds the secret or its random part.
      const [{ count } = { count: 0 }] = (
        await db.execute<{ count: number }>(
          sql`select count(*)::int as count from request_log r where r::text like ${`%${key.secret.slice(8, 40)}%`} or r::text like ${`%${rolled.secret.slice(8, 40)}%`}`,
        )
      ).rows;
      const [{ count: auditCount } = { count: 0 }] = (
        await db.execute<{ count: number }>(
          sql`select count(*)::int as count from audit_log a where a::text like ${`%${key.secret.slice(8, 40)}%`} or a::text like ${`%${rolled.secret.slice(8, 40)}%`}`,
        )
      ).rows;
      expect(count).toBe(0);
      expect(auditCount).toBe(0);
      for (const secret of secrets) {
        for (const dump of dumps) {
          expect(dump).not.toContain(secret);
          expect(dump).not.toContain(secret.slice(8, 40));
        }
      }
      // The audit trail did record the changes, by prefix.
      const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, key.id));
      expect(audit.map((a) => a.action).sort()).toEqual(["key.create", "key.roll", "key.update"]);
      for (const s of spies) s.mockRestore();
    },
  );
});
