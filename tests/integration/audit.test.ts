import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CustomerAuditEntry, CustomerAuditList } from "@/lib/api/contract/audit.schema";
import type { KeyWithSecret } from "@/lib/api/contract/keys.schema";
import type { WebhookEndpointWithSecret } from "@/lib/api/contract/webhook-endpoints.schema";
import { getDb } from "@/lib/server/db/client";
import { auditLog } from "@/lib/server/db/schema";
import { api, json, ORIGIN, signIn } from "../support/api";
import { type Envelope, newAccount, openDatabase } from "../support/jobs";

// The customer's audit log (GET /audit): every change a member makes is a row with who, the before →
// after and the request id, written with the change; staff actions on the account show with their
// reason, staff lookups don't; filters, pagination, another customer's rows never; bad filters are
// invalid_request with field paths.

type Account = Awaited<ReturnType<typeof newAccount>>;

let owner: Account;
let other: Account;
let staff: string;

beforeAll(openDatabase);
beforeAll(async () => {
  owner = await newAccount("audit-owner", 0, false);
  other = await newAccount("audit-other", 0, false);
  staff = await signIn("support@example.com", "support-password-1");
}, 120_000);

const write = (cookie: string, method: string, path: string, body?: unknown) =>
  api(path, {
    method,
    headers: { cookie, origin: ORIGIN, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function ok<T>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return json<T>(res);
}

async function auditPage(cookie: string, search = ""): Promise<CustomerAuditList> {
  return ok<CustomerAuditList>(await api(`/audit${search}`, { headers: { cookie } }));
}

/** The one row the request made, as GET /audit shows it. */
async function rowOf(res: Response, cookie = owner.cookie): Promise<CustomerAuditEntry> {
  const requestId = res.headers.get("x-request-id")!;
  const { data } = await auditPage(cookie, "?limit=100");
  const rows = data.filter((e) => e.request_id === requestId);
  expect(rows, `audit rows of ${requestId}`).toHaveLength(1);
  return rows[0]!;
}

describe("every change writes a row with who, before → after, and the request id", () => {
  it("keys: create, allowlists, spend limit, shadow, roll, revoke", async () => {
    const created = await write(owner.cookie, "POST", "/keys", { name: "Audit backend" });
    const key = await ok<KeyWithSecret>(created.clone(), 201);
    expect(await rowOf(created)).toMatchObject({
      action: "key.create",
      category: "keys",
      actor: { type: "member", email: owner.email, role: "owner", user_id: expect.stringMatching(/^usr_/) },
      target_type: "api_key",
      target_id: key.id,
      changes: { name: { from: null, to: "Audit backend" } },
      details: { prefix: key.prefix },
    });
    // Never the secret, anywhere in the row.
    expect(JSON.stringify(await rowOf(created))).not.toContain(key.secret);

    const lists = await write(owner.cookie, "PATCH", `/keys/${key.id}`, {
      allowed_origins: ["https://app.example.com"],
      allowed_ips: ["203.0.113.0/24"],
    });
    expect((await rowOf(lists)).changes).toEqual({
      allowed_origins: { from: [], to: ["https://app.example.com"] },
      allowed_ips: { from: [], to: ["203.0.113.0/24"] },
    });

    const limit = await write(owner.cookie, "PATCH", `/keys/${key.id}`, { monthly_credit_limit: 40 });
    expect(await rowOf(limit)).toMatchObject({
      action: "key.update",
      changes: { monthly_credit_limit: { from: null, to: 40 } },
    });

    const shadow = await write(owner.cookie, "POST", `/keys/${key.id}/shadow`, {
      allowed_origins: [],
      allowed_ips: ["198.51.100.0/24"],
      duration_seconds: 3600,
    });
    expect(await rowOf(shadow)).toMatchObject({
      action: "key.shadow.start",
      changes: {
        shadow_allowed_ips: { from: null, to: ["198.51.100.0/24"] },
        shadow_allowed_origins: { from: null, to: [] },
      },
    });
    const enforce = await write(owner.cookie, "POST", `/keys/${key.id}/shadow/enforce`);
    expect(await rowOf(enforce)).toMatchObject({
      action: "key.shadow.enforce",
      changes: {
        allowed_ips: { from: ["203.0.113.0/24"], to: ["198.51.100.0/24"] },
        allowed_origins: { from: ["https://app.example.com"], to: [] },
      },
    });

    const rolled = await write(owner.cookie, "POST", `/keys/${key.id}/roll`, {});
    const after = await ok<KeyWithSecret>(rolled.clone());
    expect(await rowOf(rolled)).toMatchObject({
      action: "key.roll",
      changes: { prefix: { from: key.prefix, to: after.prefix } },
    });

    const revoked = await write(owner.cookie, "DELETE", `/keys/${key.id}`);
    expect(await rowOf(revoked)).toMatchObject({
      action: "key.revoke",
      changes: { status: { from: "active", to: "revoked" } },
    });
  });

  it("billing: settings (threshold, auto-recharge, spend limit) and top-ups, by a member or a key", async () => {
    const settings = await write(owner.cookie, "PATCH", "/billing/settings", {
      low_balance_credits: 25,
      monthly_credit_limit: 500,
      auto_recharge: {
        enabled: true,
        threshold_credits: 10,
        pack: "pack_starter",
        monthly_cap_cents: 10_000,
      },
    });
    expect(settings.status, await settings.clone().text()).toBe(200);
    const row = await rowOf(settings);
    expect(row).toMatchObject({
      action: "billing.settings.update",
      category: "billing",
      target_type: "customer",
      target_id: owner.customerId,
    });
    expect(row.changes).toMatchObject({
      low_balance_credits: { to: 25 },
      monthly_credit_limit: { from: null, to: 500 },
      auto_recharge_enabled: { from: false, to: true },
      auto_recharge_threshold_credits: { to: 10 },
      auto_recharge_pack: { from: null, to: "pack_starter" },
      auto_recharge_monthly_cap_cents: { to: 10_000 },
    });
    // Only what changed: the same threshold again is a row with only the limit.
    const again = await write(owner.cookie, "PATCH", "/billing/settings", {
      low_balance_credits: 25,
      monthly_credit_limit: 600,
    });
    expect((await rowOf(again)).changes).toEqual({ monthly_credit_limit: { from: 500, to: 600 } });
    // Nothing changed: no row.
    const same = await write(owner.cookie, "PATCH", "/billing/settings", { low_balance_credits: 25 });
    expect(same.status).toBe(200);
    expect((await auditPage(owner.cookie, "?limit=100")).data.map((e) => e.request_id)).not.toContain(
      same.headers.get("x-request-id"),
    );

    const topUp = await write(owner.cookie, "POST", "/top-ups", { pack: "pack_starter" });
    const bought = await ok<{ id: string; credits: number }>(topUp.clone(), 201);
    expect(await rowOf(topUp)).toMatchObject({
      action: "top_up.create",
      target_type: "top_up",
      target_id: bought.id,
      actor: { type: "member", email: owner.email },
      changes: { balance: { from: 0, to: bought.credits } },
      details: { pack: "pack_starter", status: "succeeded" },
    });

    // A program buys credits with a key: the key is the actor.
    const key = await ok<KeyWithSecret>(await write(owner.cookie, "POST", "/keys", { name: "buyer" }), 201);
    const byKey = await api("/top-ups", {
      method: "POST",
      headers: { authorization: `Bearer ${key.secret}` },
      json: { pack: "pack_starter" },
    });
    expect(await rowOf(byKey)).toMatchObject({
      action: "top_up.create",
      actor: { type: "api_key", email: null, user_id: null, key_id: key.id, key_prefix: key.prefix },
      changes: { balance: { from: bought.credits, to: 2 * bought.credits } },
    });
  });

  it("webhook endpoints: create, update, roll the secret, delete", async () => {
    const created = await write(owner.cookie, "POST", "/webhook-endpoints", {
      url: "https://hooks.example.com/audit",
      events: ["job.succeeded"],
    });
    const endpoint = await ok<WebhookEndpointWithSecret>(created.clone(), 201);
    const row = await rowOf(created);
    expect(row).toMatchObject({
      action: "webhook_endpoint.create",
      category: "webhooks",
      target_id: endpoint.id,
      changes: {
        url: { from: null, to: "https://hooks.example.com/audit" },
        events: { from: null, to: ["job.succeeded"] },
      },
    });
    expect(JSON.stringify(row)).not.toContain(endpoint.secret);

    const updated = await write(owner.cookie, "PATCH", `/webhook-endpoints/${endpoint.id}`, {
      events: ["job.succeeded", "job.failed"],
      enabled: false,
    });
    expect((await rowOf(updated)).changes).toEqual({
      events: { from: ["job.succeeded"], to: ["job.succeeded", "job.failed"] },
      enabled: { from: true, to: false },
    });

    const rolled = await write(owner.cookie, "POST", `/webhook-endpoints/${endpoint.id}/roll-secret`);
    const fresh = await ok<WebhookEndpointWithSecret>(rolled.clone());
    expect(await rowOf(rolled)).toMatchObject({
      action: "webhook_endpoint.roll_secret",
      changes: { secret_prefix: { from: endpoint.secret_prefix, to: fresh.secret_prefix } },
    });

    const deleted = await write(owner.cookie, "DELETE", `/webhook-endpoints/${endpoint.id}`);
    expect(await rowOf(deleted)).toMatchObject({
      action: "webhook_endpoint.delete",
      changes: { url: { from: "https://hooks.example.com/audit", to: null } },
    });
  });

  it("a change that fails writes no row (the row commits with the change)", async () => {
    const before = (await auditPage(owner.cookie, "?limit=100")).data.length;
    const badPack = await write(owner.cookie, "PATCH", "/billing/settings", {
      low_balance_credits: 99,
      auto_recharge: { enabled: true, threshold_credits: 1, pack: "pack_nope", monthly_cap_cents: 10_000 },
    });
    expect(badPack.status).toBe(400);
    const badUrl = await write(owner.cookie, "POST", "/webhook-endpoints", {
      url: "http://127.0.0.1/hook",
      events: ["job.succeeded"],
    });
    expect(badUrl.status).toBe(400);
    expect((await auditPage(owner.cookie, "?limit=100")).data.length).toBe(before);
  });

  it("support staff's actions on the account show with their reason; their lookups don't", async () => {
    const key = await ok<KeyWithSecret>(await write(owner.cookie, "POST", "/keys", { name: "watched" }), 201);
    const lookup = await api(`/support/lookup?q=${key.id}`, { headers: { cookie: staff } });
    expect(lookup.status).toBe(200);
    const pause = await write(staff, "POST", `/support/keys/${key.id}/pause`, { reason: "Abuse report #42" });
    expect(pause.status, await pause.clone().text()).toBe(200);
    const row = await rowOf(pause);
    expect(row).toMatchObject({
      action: "support.key.pause",
      category: "support",
      reason: "Abuse report #42",
      target_id: key.id,
      // Staff are not named to customers: the reason and the request id identify the action.
      actor: { type: "staff", email: null, user_id: null, role: null },
      changes: { status: { from: "active", to: "paused" } },
    });
    const { data } = await auditPage(owner.cookie, `?target=${key.id}`);
    expect(data.map((e) => e.action)).toEqual(["support.key.pause", "key.create"]);
    // The lookup was recorded, for the platform — just not shown to the customer.
    const db = await getDb();
    const recorded = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.requestId, lookup.headers.get("x-request-id")!));
    expect(recorded.map((r) => [r.action, r.customerId])).toEqual([["support.lookup", owner.customerId]]);
    // Filtering by a staff member's email finds nothing; `staff` finds their actions.
    expect((await auditPage(owner.cookie, "?actor=support@example.com")).data).toEqual([]);
    expect((await auditPage(owner.cookie, "?actor=staff")).data.map((e) => e.request_id)).toEqual([
      pause.headers.get("x-request-id"),
    ]);
  });
});

describe("GET /audit: filters, pages, isolation, validation", () => {
  let account: Account;
  let keyIds: string[];
  beforeAll(async () => {
    account = await newAccount("audit-filters", 0, false);
    keyIds = [];
    for (const name of ["one", "two", "three"]) {
      const res = await write(account.cookie, "POST", "/keys", { name });
      keyIds.push((await ok<KeyWithSecret>(res, 201)).id);
    }
    await ok(await write(account.cookie, "PATCH", "/billing/settings", { low_balance_credits: 5 }));
    await ok(await write(account.cookie, "PATCH", `/keys/${keyIds[0]}`, { name: "one, renamed" }));
  });

  const actions = async (search: string) =>
    (await auditPage(account.cookie, search)).data.map((e) => e.action);

  it("lists newest first, and filters by category, action, actor, target and time", async () => {
    expect(await actions("")).toEqual([
      "key.update",
      "billing.settings.update",
      "key.create",
      "key.create",
      "key.create",
    ]);
    expect(await actions("?category=billing")).toEqual(["billing.settings.update"]);
    expect(await actions("?category=keys&action=key.create")).toEqual([
      "key.create",
      "key.create",
      "key.create",
    ]);
    expect(await actions(`?actor=${encodeURIComponent(account.email.toUpperCase())}`)).toHaveLength(5);
    expect(await actions("?actor=someone-else@example.com")).toEqual([]);
    expect(await actions(`?target=${keyIds[0]}`)).toEqual(["key.update", "key.create"]);

    const all = (await auditPage(account.cookie)).data;
    const middle = all[2]!.at;
    const newer = await auditPage(account.cookie, `?from=${encodeURIComponent(middle)}`);
    expect(newer.data.map((e) => e.id)).toEqual(all.filter((e) => e.at >= middle).map((e) => e.id));
    const older = await auditPage(account.cookie, `?to=${encodeURIComponent(middle)}`);
    expect(older.data.map((e) => e.id)).toEqual(all.filter((e) => e.at < middle).map((e) => e.id));
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await auditPage(account.cookie, `?from=${encodeURIComponent(future)}`)).data).toEqual([]);
    // Valid RFC 3339 times past what Postgres parses from a JavaScript Date (year 10000 in UTC, year 0):
    // clamped to the storable range, not a 500 (found by the fuzz suite).
    const last = "9999-12-31T23:59:59-14:00";
    expect((await auditPage(account.cookie, `?to=${encodeURIComponent(last)}`)).data).toHaveLength(
      all.length,
    );
    expect((await auditPage(account.cookie, `?from=${encodeURIComponent(last)}`)).data).toEqual([]);
    const first = "0000-01-01T00:00:00+14:00";
    expect((await auditPage(account.cookie, `?from=${encodeURIComponent(first)}`)).data).toHaveLength(
      all.length,
    );
  });

  it("pages with an opaque cursor: every row once, in order", async () => {
    const all = (await auditPage(account.cookie)).data.map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: CustomerAuditList = await auditPage(
        account.cookie,
        `?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it("never shows another customer's rows", async () => {
    const mine = (await auditPage(account.cookie)).data.map((e) => e.id);
    const theirs = await auditPage(other.cookie, "?limit=100");
    expect(theirs.data.filter((e) => mine.includes(e.id))).toEqual([]);
    expect((await auditPage(other.cookie, `?target=${keyIds[0]}`)).data).toEqual([]);
    // A cursor from one account's pages shows the other nothing of the first.
    const page = await auditPage(account.cookie, "?limit=1");
    const next = await auditPage(other.cookie, `?cursor=${page.next_cursor}`);
    expect(next.data.filter((e) => mine.includes(e.id))).toEqual([]);
  });

  it.each([
    ["category=nope", "category"],
    ["action=DROP TABLE", "action"],
    ["from=yesterday", "from"],
    ["to=2026-13-01T00:00:00Z", "to"],
    ["limit=1000", "limit"],
    ["cursor=bm90LWEtY3Vyc29y", "cursor"],
    ["from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to"],
  ])("?%s → 400 invalid_request naming %s", async (search, path) => {
    const res = await api(`/audit?${search}`, { headers: { cookie: account.cookie } });
    expect(res.status).toBe(400);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.request_id).toBe(res.headers.get("x-request-id"));
    expect((body.error.details?.fields as { path: string }[]).map((f) => f.path)).toContain(path);
  });

  it("needs a console session: a key is authentication_failed", async () => {
    const key = await ok<KeyWithSecret>(await write(account.cookie, "POST", "/keys", { name: "k" }), 201);
    const res = await api("/audit", { headers: { authorization: `Bearer ${key.secret}` } });
    expect(res.status).toBe(401);
  });
});
