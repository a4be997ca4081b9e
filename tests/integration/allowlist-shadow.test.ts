import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Key, KeyWithSecret } from "@/lib/api/contract/keys.schema";
import type { RequestList } from "@/lib/api/contract/requests.schema";
import { getDb } from "@/lib/server/db/client";
import { apiKeys, auditLog, requestLog } from "@/lib/server/db/schema";
import { evaluateAllowlists } from "@/lib/server/keys/allowlist";
import { keyAuthCacheSettled } from "@/lib/server/keys/auth-cache";
import { CLIENT_IP_HEADER } from "@/lib/server/net/client-ip";
import { flushRequestLog } from "@/lib/server/request-log/writer";
import { api, json, ORIGIN, signIn } from "../support/api";

// Allowlist shadow mode: a shadow list never refuses, and logs every request it would refuse.

let demo: string;
let other: string;
beforeAll(async () => {
  demo = await signIn("demo@example.com", "demo-password-1");
  other = await signIn("other@example.com", "other-password-1");
});

const session = (cookie: string) => ({ cookie, origin: ORIGIN, "content-type": "application/json" });

async function createKey(body: Record<string, unknown> = {}): Promise<KeyWithSecret> {
  const res = await api("/keys", {
    method: "POST",
    headers: session(demo),
    json: { name: `shadow ${Math.random().toString(36).slice(2, 8)}`, ...body },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<KeyWithSecret>(res);
}

const SHADOW = {
  allowed_ips: ["203.0.113.0/24", "2001:db8::/32"],
  allowed_origins: ["https://app.example.com"],
};

function startShadow(id: string, body: Record<string, unknown> = { ...SHADOW, duration_seconds: 3600 }) {
  return api(`/keys/${id}/shadow`, { method: "POST", headers: session(demo), json: body });
}

function action(id: string, what: "enforce" | "discard", cookie = demo) {
  return api(`/keys/${id}/shadow/${what}`, { method: "POST", headers: session(cookie) });
}

function send(secret: string, ip: string, origin: string | null) {
  const headers: Record<string, string> = { authorization: `Bearer ${secret}`, [CLIENT_IP_HEADER]: ip };
  if (origin !== null) headers.origin = origin;
  return api("/products", { headers });
}

const TRAFFIC: [string, string | null][] = [
  ["203.0.113.7", "https://app.example.com"],
  ["203.0.113.7", "https://evil.test"],
  ["203.0.113.8", null],
  ["::ffff:203.0.113.9", "https://app.example.com"],
  ["198.51.100.4", "https://app.example.com"],
  ["198.51.100.4", null],
  ["2001:db8::5", "https://app.example.com"],
  ["192.0.2.1", "https://evil.test"],
];

async function getKey(id: string): Promise<Key> {
  return json<Key>(await api(`/keys/${id}`, { headers: { cookie: demo } }));
}

async function audits(keyId: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "api_key"), eq(auditLog.targetId, keyId)))
    .orderBy(auditLog.id);
}

describe("shadow allowlists", () => {
  it("never refuse, and log as would_refuse exactly what the matcher would refuse", async () => {
    const key = await createKey();
    const res = await startShadow(key.id);
    expect(res.status, await res.clone().text()).toBe(200);
    const shadowed = await json<Key>(res);
    expect(shadowed.shadow).toMatchObject({ ...SHADOW, active: true, would_refuse: 0 });
    expect(shadowed.allowed_ips).toEqual([]);

    const ids = new Map<string, [string, string | null]>();
    for (const [ip, origin] of TRAFFIC) {
      const r = await send(key.secret, ip, origin);
      expect(r.status, `${ip} ${origin}`).toBe(200);
      ids.set(r.headers.get("x-request-id")!, [ip, origin]);
    }
    await flushRequestLog();
    const db = await getDb();
    const rows = await db.select().from(requestLog).where(eq(requestLog.keyId, key.id));
    expect(rows).toHaveLength(TRAFFIC.length);
    let flagged = 0;
    for (const row of rows) {
      const [ip, origin] = ids.get(row.requestId)!;
      const expected = evaluateAllowlists(
        { allowedIps: SHADOW.allowed_ips, allowedOrigins: SHADOW.allowed_origins },
        { ip, origin },
      ).code;
      expect(row.wouldRefuse, `${ip} ${origin}`).toBe(expected);
      expect(row.status).toBe(200);
      if (expected) flagged++;
    }
    // 203.0.113.7 with evil.test, 203.0.113.8 without Origin, 198.51.100.4 twice, 192.0.2.1.
    expect(flagged).toBe(5);
    expect((await getKey(key.id)).shadow?.would_refuse).toBe(5);

    // The request log's filter lists those, and only those.
    const list = await json<RequestList>(
      await api(`/requests?would_refuse=true&key_id=${key.id}&limit=100`, { headers: { cookie: demo } }),
    );
    expect(list.data).toHaveLength(5);
    expect(list.data.every((e) => e.would_refuse !== null && e.status === 200)).toBe(true);
    expect(
      list.data
        .filter((e) => e.would_refuse === "ip_not_allowed")
        .map((e) => e.ip)
        .sort(),
    ).toEqual(["192.0.2.1", "198.51.100.4", "198.51.100.4"]);
  });

  it("leave the enforced lists in charge: what they refuse is still refused, and not flagged", async () => {
    const key = await createKey({ allowed_ips: ["192.0.2.0/24"] });
    expect((await startShadow(key.id)).status).toBe(200);
    const refused = await send(key.secret, "198.51.100.4", null);
    expect(refused.status).toBe(403);
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe("ip_not_allowed");
    expect((await send(key.secret, "192.0.2.9", null)).status).toBe(200);
    await flushRequestLog();
    const db = await getDb();
    const rows = await db.select().from(requestLog).where(eq(requestLog.keyId, key.id));
    expect(rows.map((r) => [r.status, r.wouldRefuse]).sort()).toEqual([
      [200, "ip_not_allowed"],
      [403, null],
    ]);
  });

  it("enforce promotes the shadow lists, is audited, and then refuses what was flagged", async () => {
    const key = await createKey();
    expect((await startShadow(key.id)).status).toBe(200);
    expect((await send(key.secret, "198.51.100.4", "https://app.example.com")).status).toBe(200);
    await flushRequestLog();
    const res = await action(key.id, "enforce");
    expect(res.status, await res.clone().text()).toBe(200);
    const enforced = await json<Key>(res);
    expect(enforced).toMatchObject({ ...SHADOW, shadow: null });
    const denied = await send(key.secret, "198.51.100.4", "https://app.example.com");
    expect(denied.status).toBe(403);
    expect((await json<{ error: { code: string } }>(denied)).error.code).toBe("ip_not_allowed");

    const trail = await audits(key.id);
    expect(trail.map((a) => a.action)).toEqual(["key.create", "key.shadow.start", "key.shadow.enforce"]);
    const last = trail.at(-1)!;
    expect(last).toMatchObject({
      actorEmail: "demo@example.com",
      customerId: "cus_demo",
    });
    expect(last.requestId).toBe(res.headers.get("x-request-id"));
    expect(last.details).toMatchObject({
      would_refuse: 1,
      changes: { allowed_ips: { from: [], to: SHADOW.allowed_ips } },
    });
    // Nothing left to enforce.
    const again = await action(key.id, "enforce");
    expect(again.status).toBe(409);
    expect((await json<{ error: { code: string; details: { reason: string } } }>(again)).error).toMatchObject(
      {
        code: "invalid_state",
        details: { reason: "no_shadow" },
      },
    );
  });

  it("discard drops the shadow, keeps the lists, is audited, and stops the flagging", async () => {
    const key = await createKey({ allowed_origins: ["https://app.example.com"] });
    expect((await startShadow(key.id)).status).toBe(200);
    const res = await action(key.id, "discard");
    expect(res.status).toBe(200);
    expect(await json<Key>(res)).toMatchObject({
      allowed_origins: ["https://app.example.com"],
      allowed_ips: [],
      shadow: null,
    });
    expect((await send(key.secret, "198.51.100.4", "https://app.example.com")).status).toBe(200);
    await flushRequestLog();
    const db = await getDb();
    const rows = await db.select().from(requestLog).where(eq(requestLog.keyId, key.id));
    expect(rows.map((r) => r.wouldRefuse)).toEqual([null]);
    const trail = await audits(key.id);
    expect(trail.map((a) => a.action)).toEqual(["key.create", "key.shadow.start", "key.shadow.discard"]);
    expect(trail.at(-1)!.details).toMatchObject({ shadow_allowed_ips: SHADOW.allowed_ips });
  });

  it("stops flagging when its period ends", async () => {
    const key = await createKey();
    expect((await startShadow(key.id)).status).toBe(200);
    const db = await getDb();
    await db
      .update(apiKeys)
      .set({ shadowEndsAt: sql`now() - interval '1 second'` })
      .where(eq(apiKeys.id, key.id));
    await keyAuthCacheSettled();
    expect((await send(key.secret, "198.51.100.4", null)).status).toBe(200);
    await flushRequestLog();
    const rows = await db.select().from(requestLog).where(eq(requestLog.keyId, key.id));
    expect(rows.map((r) => r.wouldRefuse)).toEqual([null]);
    expect((await getKey(key.id)).shadow).toMatchObject({ active: false, would_refuse: 0 });
  });

  it("validates like a save, and another customer's key is not_found", async () => {
    const key = await createKey();
    const bad = await startShadow(key.id, {
      allowed_ips: ["nope"],
      allowed_origins: [],
      duration_seconds: 3600,
    });
    expect(bad.status).toBe(400);
    const short = await startShadow(key.id, { ...SHADOW, duration_seconds: 5 });
    expect(short.status).toBe(400);
    const theirs = await api(`/keys/${key.id}/shadow`, {
      method: "POST",
      headers: session(other),
      json: { ...SHADOW, duration_seconds: 3600 },
    });
    expect(theirs.status).toBe(404);
    expect((await action(key.id, "discard", other)).status).toBe(404);
    expect((await getKey(key.id)).shadow).toBeNull();
  });
});
