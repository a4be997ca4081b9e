import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Key, KeyWithSecret, SecretTraffic } from "@/lib/api/contract/keys.schema";
import { getDb } from "@/lib/server/db/client";
import { apiKeys, auditLog, requestLog } from "@/lib/server/db/schema";
import { CLIENT_IP_HEADER } from "@/lib/server/net/client-ip";
import { flushRequestLog } from "@/lib/server/request-log/writer";
import { api, json, ORIGIN, signIn } from "../support/api";

// The rotation assistant: traffic per secret during a roll's grace, and Expire old secret now.

let demo: string;
let other: string;
beforeAll(async () => {
  demo = await signIn("demo@example.com", "demo-password-1");
  other = await signIn("other@example.com", "other-password-1");
});

const session = (cookie: string) => ({ cookie, origin: ORIGIN, "content-type": "application/json" });

async function createKey(): Promise<KeyWithSecret> {
  const res = await api("/keys", {
    method: "POST",
    headers: session(demo),
    json: { name: `rotate ${Math.random().toString(36).slice(2, 8)}` },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<KeyWithSecret>(res);
}

async function roll(id: string, grace: number): Promise<KeyWithSecret> {
  const res = await api(`/keys/${id}/roll`, {
    method: "POST",
    headers: session(demo),
    json: { expire_old_in_seconds: grace },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return json<KeyWithSecret>(res);
}

function send(secret: string, ip: string, origin: string | null) {
  const headers: Record<string, string> = { authorization: `Bearer ${secret}`, [CLIENT_IP_HEADER]: ip };
  if (origin !== null) headers.origin = origin;
  return api("/products", { headers });
}

async function traffic(id: string, quiet?: number, cookie = demo) {
  return api(`/keys/${id}/secret-traffic${quiet ? `?quiet_seconds=${quiet}` : ""}`, { headers: { cookie } });
}

function expireOld(id: string, cookie = demo) {
  return api(`/keys/${id}/expire-old-secret`, { method: "POST", headers: session(cookie) });
}

async function getKey(id: string): Promise<Key> {
  return json<Key>(await api(`/keys/${id}`, { headers: { cookie: demo } }));
}

type Envelope = { error: { code: string; request_id: string; details?: Record<string, unknown> } };

describe("rotation assistant", () => {
  it("splits the key's traffic by the secret that authenticated it, and names who still sends the old one", async () => {
    const key = await createKey();
    expect((await send(key.secret, "192.0.2.10", "https://before.example")).status).toBe(200);
    const rolled = await roll(key.id, 3600);
    expect(rolled.prefix).not.toBe(key.prefix);
    expect(rolled.rotation).toMatchObject({ old_prefix: key.prefix, old_last_used_at: null });
    expect(Date.parse(rolled.rotation!.old_expires_at) - Date.parse(rolled.rotation!.rolled_at)).toBe(
      3600_000,
    );

    for (let i = 0; i < 3; i++) expect((await send(key.secret, "198.51.100.7", null)).status).toBe(200);
    expect((await send(key.secret, "203.0.113.5", "https://old.example")).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      expect((await send(rolled.secret, "203.0.113.9", "https://new.example")).status).toBe(200);
    }
    await flushRequestLog();

    // The request log records which secret authenticated each request.
    const db = await getDb();
    const rows = await db.select().from(requestLog).where(eq(requestLog.keyId, key.id));
    expect(rows.filter((r) => r.keyPrefix === key.prefix)).toHaveLength(5);
    expect(rows.filter((r) => r.keyPrefix === rolled.prefix)).toHaveLength(2);

    const res = await traffic(key.id);
    expect(res.status, await res.clone().text()).toBe(200);
    const t = await json<SecretTraffic>(res);
    expect(t).toMatchObject({
      key_id: key.id,
      current_prefix: rolled.prefix,
      rotation: { old_prefix: key.prefix },
      quiet_seconds: 3600,
      safe_to_expire: false,
    });
    expect(t.secrets).toEqual([
      expect.objectContaining({ prefix: rolled.prefix, current: true, requests: 2 }),
      expect.objectContaining({ prefix: key.prefix, current: false, requests: 5 }),
    ]);
    const perPrefix = (p: string) =>
      t.buckets.filter((b) => b.prefix === p).reduce((n, b) => n + b.requests, 0);
    expect([perPrefix(key.prefix), perPrefix(rolled.prefix)]).toEqual([5, 2]);
    expect(t.buckets.every((b) => Date.parse(b.start) % (t.bucket_seconds * 1000) === 0)).toBe(true);
    // Who still sends the old secret (the request before the roll too: it was this secret).
    expect(t.old_secret_clients.map((c) => [c.ip, c.origin, c.prefix, c.requests])).toEqual([
      ["198.51.100.7", null, key.prefix, 3],
      ["203.0.113.5", "https://old.example", key.prefix, 1],
      ["192.0.2.10", "https://before.example", key.prefix, 1],
    ]);
    expect(t.old_last_seen_at).toBe(
      t.old_secret_clients
        .map((c) => c.last_seen_at)
        .sort()
        .at(-1),
    );

    // The key's health: the old secret's last use since the roll (kept by the request-log writer).
    const health = await getKey(key.id);
    expect(health.rotation?.old_last_used_at).not.toBeNull();
    expect(Date.parse(health.rotation!.old_last_used_at!)).toBeGreaterThanOrEqual(
      Date.parse(rolled.rotation!.rolled_at),
    );
  });

  it("is safe to expire once the old secret has been quiet for the chosen window", async () => {
    const key = await createKey();
    const rolled = await roll(key.id, 24 * 3600);
    expect((await send(key.secret, "198.51.100.7", null)).status).toBe(200);
    await flushRequestLog();
    // Move the roll and that request back in time: the roll 3 hours ago, the old secret's use 2.
    const db = await getDb();
    await db
      .update(apiKeys)
      .set({ rolledAt: sql`rolled_at - interval '3 hours'` })
      .where(eq(apiKeys.id, key.id));
    await db
      .update(requestLog)
      .set({ at: sql`at - interval '2 hours'` })
      .where(and(eq(requestLog.keyId, key.id), eq(requestLog.keyPrefix, key.prefix)));
    expect((await send(rolled.secret, "203.0.113.9", null)).status).toBe(200);

    const hour = await json<SecretTraffic>(await traffic(key.id, 3600));
    expect(hour.old_secret_clients).toHaveLength(1);
    expect(hour.safe_to_expire).toBe(true);
    const threeHours = await json<SecretTraffic>(await traffic(key.id, 3 * 3600));
    expect(threeHours.safe_to_expire).toBe(false);
    expect(Date.parse(threeHours.from)).toBeLessThanOrEqual(Date.now() - 3 * 3600_000);

    // A key that never rolled is never "safe to expire": there is nothing to expire.
    const plain = await createKey();
    const none = await json<SecretTraffic>(await traffic(plain.id));
    expect(none).toMatchObject({ rotation: null, safe_to_expire: false, secrets: [] });
  });

  it("Expire old secret now ends the grace: audited, and the old secret is refused right after", async () => {
    const key = await createKey();
    const rolled = await roll(key.id, 7 * 24 * 3600);
    expect((await send(key.secret, "198.51.100.7", null)).status).toBe(200);

    const res = await expireOld(key.id);
    expect(res.status, await res.clone().text()).toBe(200);
    const after = await json<Key>(res);
    expect(after).toMatchObject({ id: key.id, prefix: rolled.prefix, rotation: null });

    const refused = await send(key.secret, "198.51.100.7", null);
    expect(refused.status).toBe(401);
    const body = await json<Envelope>(refused);
    expect(body.error.code).toBe("authentication_failed");
    expect(body.error.request_id).toBe(refused.headers.get("x-request-id"));
    expect((await send(rolled.secret, "198.51.100.7", null)).status).toBe(200);

    const db = await getDb();
    const trail = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetType, "api_key"), eq(auditLog.targetId, key.id)))
      .orderBy(auditLog.id);
    expect(trail.map((a) => a.action)).toEqual(["key.create", "key.roll", "key.expire_old_secret"]);
    expect(trail.at(-1)).toMatchObject({
      actorEmail: "demo@example.com",
      customerId: "cus_demo",
      requestId: res.headers.get("x-request-id"),
      details: { prefix: rolled.prefix, old_prefix: key.prefix, secrets_expired: 1 },
    });

    // Nothing left to expire.
    const again = await expireOld(key.id);
    expect(again.status).toBe(409);
    expect((await json<Envelope>(again)).error).toMatchObject({
      code: "invalid_state",
      details: { reason: "no_grace" },
    });
    expect(await getKey(key.id)).toMatchObject({ rotation: null });
  });

  it("a roll without grace has no rotation; another customer's key is not_found", async () => {
    const key = await createKey();
    const rolled = await roll(key.id, 0);
    expect(rolled.rotation).toBeNull();
    expect((await expireOld(key.id)).status).toBe(409);

    const graced = await createKey();
    await roll(graced.id, 3600);
    for (const res of [await traffic(graced.id, undefined, other), await expireOld(graced.id, other)]) {
      expect(res.status).toBe(404);
      expect((await json<Envelope>(res)).error.code).toBe("not_found");
    }
    expect((await getKey(graced.id)).rotation).not.toBeNull();
    // The old secret still works: the refused attempt changed nothing.
    expect((await send(graced.secret, "198.51.100.7", null)).status).toBe(200);

    const bad = await traffic(graced.id, 5);
    expect(bad.status).toBe(400);
    expect((await json<Envelope>(bad)).error.code).toBe("invalid_request");
  });
});
