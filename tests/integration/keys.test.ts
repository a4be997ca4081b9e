import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Key, KeyCheck, KeyList, KeyWithSecret } from "@/lib/api/contract/keys.schema";
import { getDb } from "@/lib/server/db/client";
import { apiKeys, auditLog } from "@/lib/server/db/schema";
import { api, json, ORIGIN, signIn } from "../support/api";

// The console's /keys endpoints: CRUD, validation with field paths, isolation, CSRF, audit, /check.

type Envelope = {
  error: { code: string; message: string; request_id: string; details?: Record<string, unknown> };
};

let demo: string;
let other: string;
beforeAll(async () => {
  demo = await signIn("demo@example.com", "demo-password-1");
  other = await signIn("other@example.com", "other-password-1");
});

const write = (cookie: string, method: string, path: string, body?: unknown) =>
  api(path, {
    method,
    headers: { cookie, origin: ORIGIN, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function createKey(cookie: string, body: Record<string, unknown> = {}): Promise<KeyWithSecret> {
  const res = await write(cookie, "POST", "/keys", {
    name: `key ${Math.random().toString(36).slice(2, 8)}`,
    ...body,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<KeyWithSecret>(res);
}

describe("create, read, list", () => {
  it("creates a key with normalised lists and returns its secret once", async () => {
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    const key = await createKey(demo, {
      name: "  Production backend  ",
      allowed_origins: ["HTTPS://App.Example.com:443/", "https://*.Example.org", "https://bücher.example"],
      allowed_ips: [
        "10.1.2.3/8",
        "2001:DB8:0:0::1",
        "::ffff:192.0.2.1",
        "192.0.2.1",
        "::ffff:198.51.100.0/120",
      ],
      expires_at: expires,
    });
    expect(key).toMatchObject({
      name: "Production backend",
      status: "active",
      allowed_origins: ["https://app.example.com", "https://*.example.org", "https://xn--bcher-kva.example"],
      allowed_ips: ["10.0.0.0/8", "2001:db8::1/128", "192.0.2.1/32", "198.51.100.0/24"],
      expires_at: expires,
      last_used_at: null,
    });
    expect(key.id).toMatch(/^key_[0-9A-Z]{26}$/);
    expect(key.prefix).toBe(key.secret.slice(0, 12));

    const read = await json<Key & { secret?: string }>(
      await api(`/keys/${key.id}`, { headers: { cookie: demo } }),
    );
    expect(read).toEqual(Object.fromEntries(Object.entries(key).filter(([k]) => k !== "secret")));
    expect(read.secret).toBeUndefined();

    const list = await json<KeyList>(await api("/keys?limit=100", { headers: { cookie: demo } }));
    const listed = list.data.find((k) => k.id === key.id);
    expect(listed).toBeDefined();
    expect(JSON.stringify(list)).not.toContain(key.secret);
  });

  it("lists only the customer's own keys, newest first, with a working cursor", async () => {
    const mine = [await createKey(demo), await createKey(demo), await createKey(demo)];
    const theirs = await createKey(other);
    const seen: Key[] = [];
    let cursor: string | null = null;
    do {
      const page: KeyList = await json<KeyList>(
        await api(`/keys?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { headers: { cookie: demo } }),
      );
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    const ids = seen.map((k) => k.id);
    expect(ids).toEqual([...ids].sort().reverse());
    expect(new Set(ids).size).toBe(ids.length);
    for (const k of mine) expect(ids).toContain(k.id);
    expect(ids).not.toContain(theirs.id);
    const bad = await api("/keys?cursor=nonsense", { headers: { cookie: demo } });
    expect(bad.status).toBe(400);
  });

  it("is listed in the OpenAPI document", async () => {
    const doc = await json<{ paths: Record<string, unknown> }>(await api("/openapi.json"));
    for (const path of [
      "/api/v1/keys",
      "/api/v1/keys/{keyId}",
      "/api/v1/keys/{keyId}/roll",
      "/api/v1/keys/{keyId}/check",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});

describe("validation: one field path per bad entry", () => {
  it("refuses invalid origins and CIDRs with allowed_origins.N / allowed_ips.N", async () => {
    const res = await write(demo, "POST", "/keys", {
      name: "bad lists",
      allowed_origins: [
        "https://ok.example.com",
        "https://x.com/path",
        "*",
        "https://*.co.uk",
        "ftp://x.com",
        "https://a.*.x.com",
      ],
      allowed_ips: ["203.0.113.7", "10.0.0.0/33", "0.0.0.0/0", "::/0", "not-an-ip", "127.1"],
    });
    expect(res.status).toBe(400);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("invalid_request");
    const paths = (body.error.details?.fields as { path: string }[]).map((f) => f.path);
    expect(paths).toEqual([
      "allowed_origins.1",
      "allowed_origins.2",
      "allowed_origins.3",
      "allowed_origins.4",
      "allowed_origins.5",
      "allowed_ips.1",
      "allowed_ips.2",
      "allowed_ips.3",
      "allowed_ips.4",
      "allowed_ips.5",
    ]);
    const list = await json<KeyList>(await api("/keys?limit=100", { headers: { cookie: demo } }));
    expect(list.data.some((k) => k.name === "bad lists")).toBe(false);
  });

  it("refuses a missing name, a past expiry and unknown statuses", async () => {
    const cases: [unknown, string][] = [
      [{}, "name"],
      [{ name: "   " }, "name"],
      [{ name: "x", expires_at: new Date(Date.now() - 1000).toISOString() }, "expires_at"],
      [{ name: "x", expires_at: "tomorrow" }, "expires_at"],
      // Year 9999 in its own offset but 10000 in UTC (found by the fuzz suite's random seed: was a 500).
      [{ name: "x", expires_at: "9999-12-31T23:59:59-14:00" }, "expires_at"],
    ];
    for (const [body, path] of cases) {
      const res = await write(demo, "POST", "/keys", body);
      const env = await json<Envelope>(res);
      expect(res.status, JSON.stringify(env)).toBe(400);
      expect((env.error.details?.fields as { path: string }[])[0]?.path).toBe(path);
    }
    const key = await createKey(demo);
    const res = await write(demo, "PATCH", `/keys/${key.id}`, { status: "revoked" });
    expect(res.status).toBe(400);
  });

  it("replaces a list on PATCH, with the same validation", async () => {
    const key = await createKey(demo);
    const bad = await write(demo, "PATCH", `/keys/${key.id}`, {
      allowed_ips: ["203.0.113.7", "203.0.113.300"],
    });
    expect(((await json<Envelope>(bad)).error.details?.fields as { path: string }[])[0]?.path).toBe(
      "allowed_ips.1",
    );
    const ok = await write(demo, "PATCH", `/keys/${key.id}`, {
      allowed_ips: ["203.0.113.7", "203.0.113.7/32"],
    });
    expect((await json<Key>(ok)).allowed_ips).toEqual(["203.0.113.7/32"]);
    const cleared = await write(demo, "PATCH", `/keys/${key.id}`, { allowed_ips: [] });
    expect((await json<Key>(cleared)).allowed_ips).toEqual([]);
  });
});

describe("another customer's key is not_found, exactly like a missing one", () => {
  it("for every endpoint", async () => {
    const key = await createKey(demo);
    const missing = "key_01ZZZZZZZZZZZZZZZZZZZZZZZZ";
    const calls: [string, string, unknown][] = [
      ["GET", "", undefined],
      ["PATCH", "", { name: "stolen" }],
      ["DELETE", "", undefined],
      ["POST", "/roll", {}],
      ["POST", "/check", { ip: "203.0.113.7" }],
    ];
    for (const [method, suffix, body] of calls) {
      const foreign = await write(other, method, `/keys/${key.id}${suffix}`, body);
      const absent = await write(other, method, `/keys/${missing}${suffix}`, body);
      expect(foreign.status, `${method} ${suffix}`).toBe(404);
      expect(absent.status).toBe(404);
      const a = (await json<Envelope>(foreign)).error;
      const b = (await json<Envelope>(absent)).error;
      expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
      expect(a.code).toBe("not_found");
      expect(a.message.replace(key.id, "ID")).toBe(b.message.replace(missing, "ID"));
    }
    const db = await getDb();
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row).toMatchObject({ name: key.name, status: "active", prefix: key.prefix });
  });
});

describe("CSRF: cookie mutations of keys", () => {
  const refusals: [string, Record<string, string>][] = [
    ["a foreign Origin", { origin: "https://evil.example", "content-type": "application/json" }],
    ["Origin: null", { origin: "null", "content-type": "application/json" }],
    ["no Origin", { "content-type": "application/json" }],
    ["text/plain", { origin: ORIGIN, "content-type": "text/plain" }],
    ["a form post", { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" }],
  ];
  for (const [name, headers] of refusals) {
    it(`refuses ${name} on every mutation, and changes nothing`, async () => {
      const key = await createKey(demo);
      const tag = `csrf-${Math.random().toString(36).slice(2)}`;
      const mutations: [string, string, unknown][] = [
        ["POST", "/keys", { name: tag }],
        ["PATCH", `/keys/${key.id}`, { name: tag, status: "paused" }],
        ["POST", `/keys/${key.id}/roll`, {}],
        ["DELETE", `/keys/${key.id}`, undefined],
        ["POST", `/keys/${key.id}/check`, {}],
      ];
      for (const [method, path, body] of mutations) {
        const res = await api(path, {
          method,
          headers: { ...headers, cookie: demo },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        expect(res.status, `${method} ${path}`).toBe(403);
        const env = await json<Envelope>(res);
        expect(env.error.code).toBe("origin_not_allowed");
        expect(env.error.details).toHaveProperty("origin");
      }
      const db = await getDb();
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
      expect(row).toMatchObject({ name: key.name, status: "active", prefix: key.prefix });
      expect((await db.select().from(apiKeys).where(eq(apiKeys.name, tag))).length).toBe(0);
    });
  }
});

describe("audit trail", () => {
  it("records who changed what, in the change's own request", async () => {
    const key = await createKey(demo);
    await write(demo, "PATCH", `/keys/${key.id}`, { allowed_origins: ["https://app.example.com"] });
    await write(demo, "PATCH", `/keys/${key.id}`, { status: "paused" });
    await write(demo, "PATCH", `/keys/${key.id}`, { status: "active" });
    await write(demo, "POST", `/keys/${key.id}/roll`, { expire_old_in_seconds: 60 });
    const revoke = await write(demo, "DELETE", `/keys/${key.id}`);
    // A no-op write records nothing.
    await write(demo, "DELETE", `/keys/${key.id}`);
    const db = await getDb();
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetType, "api_key"), eq(auditLog.targetId, key.id)))
      .orderBy(auditLog.id);
    expect(rows.map((r) => r.action)).toEqual([
      "key.create",
      "key.update",
      "key.pause",
      "key.resume",
      "key.roll",
      "key.revoke",
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({
        actorEmail: "demo@example.com",
        actorUserId: "usr_demo",
        customerId: "cus_demo",
      });
      expect(r.requestId).toMatch(/^req_/);
    }
    expect(rows[1]!.details).toEqual({
      prefix: key.prefix,
      changes: { allowed_origins: { from: [], to: ["https://app.example.com"] } },
    });
    expect(rows.at(-1)!.requestId).toBe(revoke.headers.get("x-request-id"));
  });
});

describe("POST /keys/{id}/check", () => {
  const check = async (id: string, body: unknown) => {
    const res = await write(demo, "POST", `/keys/${id}/check`, body);
    expect(res.status, await res.clone().text()).toBe(200);
    return json<KeyCheck>(res);
  };

  it("says which rule decides, with the middleware's order and matcher", async () => {
    const key = await createKey(demo, {
      allowed_origins: ["https://*.example.com"],
      allowed_ips: ["203.0.113.0/24"],
    });
    expect(await check(key.id, { ip: "203.0.113.9", origin: "https://a.example.com" })).toMatchObject({
      allowed: true,
      code: null,
      decided_by: null,
      ip: { result: "allowed", matched: "203.0.113.0/24" },
      origin: { result: "allowed", matched: "https://*.example.com" },
    });
    expect(await check(key.id, { ip: "198.51.100.1", origin: "https://evil.com" })).toMatchObject({
      allowed: false,
      code: "ip_not_allowed",
      decided_by: "allowed_ips",
      ip: { value: "198.51.100.1", result: "denied" },
    });
    expect(await check(key.id, { ip: "203.0.113.9", origin: "https://example.com" })).toMatchObject({
      allowed: false,
      code: "origin_not_allowed",
      decided_by: "allowed_origins",
    });
    expect(await check(key.id, { origin: "https://a.example.com" })).toMatchObject({
      allowed: true,
      ip: { result: "not_checked" },
    });
    expect(await check(key.id, {})).toMatchObject({
      allowed: false,
      code: "origin_not_allowed",
      origin: { value: null },
    });
    await write(demo, "PATCH", `/keys/${key.id}`, { status: "paused" });
    expect(await check(key.id, { ip: "203.0.113.9", origin: "https://a.example.com" })).toMatchObject({
      allowed: false,
      code: "account_disabled",
      decided_by: "key_status",
    });
  });

  it("says unrestricted when the lists are empty, and validates its input", async () => {
    const key = await createKey(demo);
    expect(await check(key.id, { ip: "::ffff:8.8.8.8", origin: "https://anything.example" })).toMatchObject({
      allowed: true,
      ip: { value: "8.8.8.8", result: "unrestricted" },
      origin: { result: "unrestricted" },
    });
    const bad = await write(demo, "POST", `/keys/${key.id}/check`, {
      ip: "999.1.1.1",
      origin: "app.example.com",
    });
    expect(bad.status).toBe(400);
    const fields = (await json<Envelope>(bad)).error.details?.fields as { path: string }[];
    expect(fields[0]?.path).toBe("ip");
  });
});
