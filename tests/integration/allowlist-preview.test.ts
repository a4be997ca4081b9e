import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { AllowlistPreview, KeyWithSecret } from "@/lib/api/contract/keys.schema";
import { getDb } from "@/lib/server/db/client";
import { hourOf, keyTrafficQuery } from "@/lib/server/keys/preview";
import { flushRequestLog, recordRequest } from "@/lib/server/request-log/writer";
import { CLIENT_IP_HEADER } from "@/lib/server/net/client-ip";
import { api, json, ORIGIN, signIn } from "../support/api";

// POST /keys/{id}/allowlist-preview: what candidate lists would refuse of a key's last 7 days.

let demo: string;
let other: string;
beforeAll(async () => {
  demo = await signIn("demo@example.com", "demo-password-1");
  other = await signIn("other@example.com", "other-password-1");
});

async function createKey(cookie: string, body: Record<string, unknown> = {}): Promise<KeyWithSecret> {
  const res = await api("/keys", {
    method: "POST",
    headers: { cookie, origin: ORIGIN },
    json: { name: `preview ${Math.random().toString(36).slice(2, 8)}`, ...body },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<KeyWithSecret>(res);
}

function preview(cookie: string, id: string, body: unknown) {
  return api(`/keys/${id}/allowlist-preview`, {
    method: "POST",
    headers: { cookie, origin: ORIGIN },
    json: body,
  });
}

/** A program's request with the key, from `ip` (the header server.ts sets from the socket). */
function send(secret: string, ip: string, origin: string | null) {
  const headers: Record<string, string> = { authorization: `Bearer ${secret}`, [CLIENT_IP_HEADER]: ip };
  if (origin !== null) headers.origin = origin;
  return api("/products", { headers });
}

// Traffic: [ip, origin, how many]. Mapped IPv6, a CIDR's edge and a missing Origin included.
const TRAFFIC: [string, string | null, number][] = [
  ["203.0.113.7", "https://app.example.com", 5],
  ["203.0.113.7", "https://evil.example.net", 2],
  ["::ffff:203.0.113.9", "https://a.b.example.com", 3],
  ["198.51.100.4", "https://app.example.com", 4],
  ["198.51.100.4", null, 1],
  ["2001:db8::1", "https://app.example.com", 2],
  ["192.0.2.200", "https://app.example.com", 1],
];
const LISTS = {
  allowed_ips: ["203.0.113.0/28", "2001:db8::/32"],
  allowed_origins: ["https://app.example.com", "https://*.example.com"],
};

async function replay(secret: string) {
  const refused = new Map<string, { ip: string; code: string; n: number }>();
  let total = 0;
  for (const [ip, origin, n] of TRAFFIC) {
    for (let i = 0; i < n; i++) {
      const res = await send(secret, ip, origin);
      total++;
      if (res.status === 200) continue;
      const body = await json<{ error: { code: string } }>(res);
      expect(res.status).toBe(403);
      const seen = refused.get(`${ip} ${origin}`) ?? { ip, code: body.error.code, n: 0 };
      seen.n++;
      refused.set(`${ip} ${origin}`, seen);
    }
  }
  return { total, refused: [...refused.values()] };
}

describe("allowlist preview", () => {
  it("equals what enforcement then does when the same traffic is replayed", async () => {
    const key = await createKey(demo);
    const before = await replay(key.secret);
    expect(before.refused).toEqual([]);

    const res = await preview(demo, key.id, LISTS);
    expect(res.status, await res.clone().text()).toBe(200);
    const p = await json<AllowlistPreview>(res);
    expect(p.total_requests).toBe(before.total);
    expect(p.allowed_ips).toEqual(["203.0.113.0/28", "2001:db8::/32"]);

    // Enforce the same lists and replay the same traffic.
    const patch = await api(`/keys/${key.id}`, {
      method: "PATCH",
      headers: { cookie: demo, origin: ORIGIN },
      json: LISTS,
    });
    expect(patch.status).toBe(200);
    const after = await replay(key.secret);

    const sum = (code?: string) =>
      after.refused.filter((r) => !code || r.code === code).reduce((a, r) => a + r.n, 0);
    expect(p.refused.requests).toBe(sum());
    expect(p.refused.by_code).toEqual({
      ip_not_allowed: sum("ip_not_allowed"),
      origin_not_allowed: sum("origin_not_allowed"),
    });
    // Per IP: the same refused counts and the same code as enforcement gave.
    const enforced = new Map<string, { code: string; n: number }>();
    for (const r of after.refused) {
      const seen = enforced.get(r.ip) ?? { code: r.code, n: 0 };
      seen.n += r.n;
      enforced.set(r.ip, seen);
    }
    expect(new Map(p.top_ips.map((t) => [t.ip!, { code: t.code, n: t.requests }]))).toEqual(enforced);
    expect(p.refused.ips).toBe(enforced.size);
    // Spelled out, so a matcher change that fools both sides alike still shows here.
    expect(p.refused.by_code).toEqual({ ip_not_allowed: 6, origin_not_allowed: 2 });
    expect(p.top_ips[0]).toMatchObject({ ip: "198.51.100.4", code: "ip_not_allowed", requests: 4 + 1 });
    expect(p.top_origins).toEqual([
      { origin: "https://evil.example.net", requests: 2, last_seen_at: expect.any(String) },
    ]);
    expect(p.refused.origins).toBe(1);
  });

  it("names the last time a refused IP was seen, and empty lists refuse nothing", async () => {
    const key = await createKey(demo);
    await send(key.secret, "192.0.2.1", null);
    const t = Date.now();
    const p = await json<AllowlistPreview>(
      await preview(demo, key.id, { allowed_ips: ["192.0.2.128/25"], allowed_origins: [] }),
    );
    expect(p.top_ips).toHaveLength(1);
    expect(p.top_ips[0]!.ip).toBe("192.0.2.1");
    expect(Math.abs(Date.parse(p.top_ips[0]!.last_seen_at) - t)).toBeLessThan(60_000);
    const open = await json<AllowlistPreview>(
      await preview(demo, key.id, { allowed_ips: [], allowed_origins: [] }),
    );
    expect(open).toMatchObject({ total_requests: 1, refused: { requests: 0, ips: 0, origins: 0 } });
  });

  it("is not_found for another customer's key, invalid_request per bad entry, and needs a session", async () => {
    const key = await createKey(demo);
    const theirs = await preview(other, key.id, { allowed_ips: [], allowed_origins: [] });
    expect(theirs.status).toBe(404);
    expect((await json<{ error: { code: string } }>(theirs)).error.code).toBe("not_found");

    const bad = await preview(demo, key.id, { allowed_ips: ["1.2.3.4", "nope"], allowed_origins: ["*"] });
    expect(bad.status).toBe(400);
    const err = (await json<{ error: { code: string; details: { fields: { path: string }[] } } }>(bad)).error;
    expect(err.code).toBe("invalid_request");
    expect(err.details.fields.map((f) => f.path).sort()).toEqual(["allowed_ips.1", "allowed_origins.0"]);

    const missing = await preview(demo, key.id, { allowed_ips: [] });
    expect(missing.status).toBe(400);

    const anonymous = await api(`/keys/${key.id}/allowlist-preview`, {
      method: "POST",
      headers: { origin: ORIGIN },
      json: { allowed_ips: [], allowed_origins: [] },
    });
    expect(anonymous.status).toBe(401);
  });
});

describe("the origin the preview replays", () => {
  it("is the one enforcement judged: a same-origin GET without Origin counts as from this origin", async () => {
    const self = new URL(process.env.API_BASE_URL ?? ORIGIN).origin;
    const key = await createKey(demo);
    const polled = await api("/products", {
      headers: { authorization: `Bearer ${key.secret}`, "sec-fetch-site": "same-origin" },
    });
    expect(polled.status).toBe(200);
    // Enforcement with [self] lets this request through; the preview of [self] must agree.
    const res = await preview(demo, key.id, { allowed_ips: [], allowed_origins: [self] });
    expect(res.status).toBe(200);
    const body = await json<AllowlistPreview>(res);
    expect(body.total_requests).toBe(1);
    expect(body.refused.requests).toBe(0);
    // A cross-site request without Origin is still "no origin", refused by the same list.
    await api("/products", {
      headers: { authorization: `Bearer ${key.secret}`, "sec-fetch-site": "cross-site" },
    });
    const after = await json<AllowlistPreview>(
      await preview(demo, key.id, { allowed_ips: [], allowed_origins: [self] }),
    );
    expect(after.refused.requests).toBe(1);
    expect(after.top_origins.map((o) => o.origin)).toEqual([null]);
  });
});

describe("the rollups the preview reads", () => {
  it("count a week from the start of its hour: whole days from the daily rollup, the first hours from the hourly", async () => {
    const key = await createKey(demo);
    const now = Date.now();
    const start = hourOf(new Date(now - 7 * 24 * 3600_000)).getTime();
    const entries: [number, string][] = [
      [start - 60_000, "192.0.2.1"], // just before the window: not counted
      [start + 60_000, "192.0.2.2"], // the window's first hour (hourly rollup)
      [start + 20 * 3600_000, "192.0.2.2"], // still before the first midnight, perhaps
      [now - 3 * 24 * 3600_000, "192.0.2.3"], // a whole day (daily rollup)
      [now - 1000, "192.0.2.3"],
    ];
    for (const [at, ip] of entries) {
      recordRequest({
        requestId: `req_rollup_${key.id}_${at}`,
        at: new Date(at),
        method: "GET",
        path: "/api/v1/products",
        status: 200,
        customerId: "cus_demo",
        keyId: key.id,
        keyPrefix: key.prefix,
        ip,
        origin: null,
        durationMs: 1,
      });
    }
    // Replayed entries (the same request ids) are not counted twice.
    await flushRequestLog();
    recordRequest({
      requestId: `req_rollup_${key.id}_${entries[4]![0]}`,
      at: new Date(entries[4]![0]),
      method: "GET",
      path: "/api/v1/products",
      status: 200,
      customerId: "cus_demo",
      keyId: key.id,
      keyPrefix: key.prefix,
      ip: "192.0.2.3",
      origin: null,
      durationMs: 1,
    });
    const body = await json<AllowlistPreview>(
      await preview(demo, key.id, { allowed_ips: ["198.51.100.0/24"], allowed_origins: [] }),
    );
    expect(body.from).toBe(new Date(start).toISOString());
    expect(body.total_requests).toBe(4);
    expect(body.top_ips.map((i) => [i.ip, i.requests]).sort()).toEqual([
      ["192.0.2.2", 2],
      ["192.0.2.3", 2],
    ]);
  });
});

// The plan only means something on real Postgres (CI's), with enough rows that a scan would cost.
describe.skipIf(!process.env.DATABASE_URL)("on real Postgres", () => {
  it("aggregates a key's week from the rollups' indexes, never scanning a table", async () => {
    const db = await getDb();
    const keyId = `key_plan_${Date.now()}`;
    // 110,000 rollup rows: 100 other keys and ours (every 11th), over 10 days (some outside the window).
    await db.execute(sql`
      insert into request_log_hourly (key_id, hour, ip, origin, requests, last_at)
      select case when g % 11 = 0 then ${keyId} else 'key_plan_other_' || (g % 100) end,
             date_trunc('hour', now()) - (g % 240) * interval '1 hour',
             '10.' || (g / 65536) || '.' || ((g / 256) % 256) || '.' || (g % 256),
             'https://app' || (g % 4) || '.example.com', 1 + g % 7, now()
      from generate_series(1, 110000) g`);
    // And as many daily rows, over 240 days.
    await db.execute(sql`
      insert into request_log_daily (key_id, day, ip, origin, requests, last_at)
      select case when g % 11 = 0 then ${keyId} else 'key_plan_other_' || (g % 100) end,
             date_trunc('day', now()) - (g % 240) * interval '1 day',
             '10.' || (g / 65536) || '.' || ((g / 256) % 256) || '.' || (g % 256),
             'https://app' || (g % 4) || '.example.com', 1 + g % 7, now()
      from generate_series(1, 110000) g`);
    await db.execute(sql`vacuum analyze request_log_hourly`);
    await db.execute(sql`vacuum analyze request_log_daily`);
    const query = keyTrafficQuery(db, keyId, new Date(Date.now() - 7 * 24 * 3600 * 1000)).getSQL();
    const { rows } = (await db.execute(sql`explain (format json) ${query}`)) as unknown as {
      rows: { "QUERY PLAN": unknown }[];
    };
    const plan = JSON.stringify(rows[0]!["QUERY PLAN"]);
    expect(plan).toContain('"Index Name":"request_log_hourly_key_hour_ip_origin"');
    expect(plan).toContain('"Index Name":"request_log_daily_key_day_ip_origin"');
    expect(plan).not.toContain('"Node Type":"Seq Scan"');
    for (const table of [sql`request_log_hourly`, sql`request_log_daily`]) {
      await db.execute(sql`delete from ${table} where key_id = ${keyId} or key_id like 'key_plan_other_%'`);
    }
  });
});
