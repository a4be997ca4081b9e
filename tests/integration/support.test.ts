import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Key, KeyWithSecret } from "@/lib/api/contract/keys.schema";
import type {
  AuditList,
  CustomerPauseResult,
  CustomerSummary,
  LookupResult,
  SupportProduct,
  SupportRequest,
} from "@/lib/api/contract/support.schema";
import { getDb } from "@/lib/server/db/client";
import { auditLog, jobs, sessions, users } from "@/lib/server/db/schema";
import { newId } from "@/lib/server/ids";
import { api, json, ORIGIN, signIn, signUp, uniqueEmail } from "../support/api";

// Support staff: lookups by every id kind, the customer page, pause/unpause with audit, 404 for everyone else.

type Envelope = {
  error: { code: string; message: string; request_id: string; details?: Record<string, unknown> };
};

let staff: string;
let staffUserId: string;

type Customer = { email: string; cookie: string; id: string; key: KeyWithSecret };

async function newCustomer(tag: string): Promise<Customer> {
  const email = uniqueEmail(tag);
  const cookie = await signUp(email, "a-long-password-1", "Case");
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const res = await api("/keys", {
    method: "POST",
    headers: { cookie, origin: ORIGIN },
    json: { name: "server" },
  });
  expect(res.status).toBe(201);
  return { email, cookie, id: user!.customerId!, key: await json<KeyWithSecret>(res) };
}

const staffGet = (path: string) => api(path, { headers: { cookie: staff } });
const staffPost = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  api(path, { method: "POST", headers: { cookie: staff, origin: ORIGIN, ...headers }, json: body });
const bearer = (secret: string, path = "/balance") =>
  api(path, { headers: { authorization: `Bearer ${secret}` } });

async function lookupOf(q: string) {
  const res = await staffGet(`/support/lookup?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return (await json<LookupResult>(res)).data;
}

async function auditRows(filter: { action?: string; targetId?: string }) {
  const db = await getDb();
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        filter.action ? eq(auditLog.action, filter.action) : undefined,
        filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
      ),
    );
}

beforeAll(async () => {
  staff = await signIn("support@example.com", "support-password-1");
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, "support@example.com"));
  staffUserId = user!.id;
});

describe("non-staff get 404 on every support endpoint", () => {
  it("customers (session or key) and the anonymous get not_found, never 401/403", async () => {
    const customer = await newCustomer("nonstaff");
    const demo = await signIn("demo@example.com", "demo-password-1");
    const gets = [
      "/support/lookup?q=cus_demo",
      "/support/requests/req_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V",
      "/support/customers/cus_demo",
      "/support/products",
      "/support/audit",
    ];
    const posts = [
      "/support/customers/cus_demo/pause",
      "/support/customers/cus_demo/unpause",
      `/support/keys/${customer.key.id}/pause`,
      "/support/products/text-to-image/pause",
      "/support/products/legacy-upscale/unpause",
    ];
    const callers: [string, Record<string, string>][] = [
      ["anonymous", {}],
      ["customer session", { cookie: demo }],
      ["customer key", { authorization: `Bearer ${customer.key.secret}` }],
    ];
    for (const [who, headers] of callers) {
      for (const path of gets) {
        const res = await api(path, { headers });
        expect(res.status, `${who} GET ${path}`).toBe(404);
        expect((await json<Envelope>(res)).error.code).toBe("not_found");
      }
      for (const path of posts) {
        const res = await api(path, {
          method: "POST",
          headers: { ...headers, origin: ORIGIN },
          json: { reason: "x" },
        });
        expect(res.status, `${who} POST ${path}`).toBe(404);
      }
    }
    // Nothing changed, and nothing about those attempts is in the audit log as a staff action.
    const summary = await json<CustomerSummary>(await staffGet("/support/customers/cus_demo"));
    expect(summary.status).toBe("active");
  });
});

describe("GET /support/lookup", () => {
  let customer: Customer;
  let failedRequestId: string;
  let jobId: string;

  beforeAll(async () => {
    customer = await newCustomer("lookup");
    const failed = await api("/billing/settings", {
      method: "PATCH",
      headers: { cookie: customer.cookie, origin: ORIGIN },
      json: { low_balance_credits: 99_999_999_999 },
    });
    expect(failed.status).toBe(400);
    failedRequestId = failed.headers.get("x-request-id")!;
    jobId = newId("job");
    const db = await getDb();
    await db.insert(jobs).values({
      id: jobId,
      customerId: customer.id,
      productId: "text-to-image",
      prompt: "a lighthouse",
      costCredits: 10,
      requestId: failedRequestId,
    });
  });

  it("finds a request by id at once (not yet flushed), with its customer", async () => {
    const [match, ...rest] = await lookupOf(failedRequestId);
    expect(rest).toEqual([]);
    expect(match).toMatchObject({
      kind: "request",
      id: failedRequestId,
      customer_id: customer.id,
      customer_name: "Case's team",
      customer_status: "active",
      label: "PATCH /api/v1/billing/settings → 400 invalid_request",
      request_id: failedRequestId,
    });
    // Pasted in the wrong case or with spaces around it, it still matches.
    expect((await lookupOf(`  ${failedRequestId.toLowerCase()} `))[0]?.id).toBe(failedRequestId);
  });

  it("finds a job, a key by id, by prefix and by whole secret, a customer by id and by email", async () => {
    expect(await lookupOf(jobId)).toEqual([
      expect.objectContaining({
        kind: "job",
        id: jobId,
        customer_id: customer.id,
        request_id: failedRequestId,
      }),
    ]);
    const keyMatch = expect.objectContaining({ kind: "key", id: customer.key.id, customer_id: customer.id });
    expect(await lookupOf(customer.key.id)).toEqual([keyMatch]);
    expect(await lookupOf(customer.key.prefix)).toEqual(expect.arrayContaining([keyMatch]));
    expect(await lookupOf(customer.key.secret)).toEqual([keyMatch]);
    const customerMatch = expect.objectContaining({
      kind: "customer",
      id: customer.id,
      customer_id: customer.id,
    });
    expect(await lookupOf(customer.id)).toEqual([customerMatch]);
    expect(await lookupOf(customer.email)).toEqual([customerMatch]);
    expect(await lookupOf(customer.email.toUpperCase())).toEqual([customerMatch]);
  });

  it("answers an id that names nothing with an empty list, and a blank query with invalid_request", async () => {
    for (const q of [
      "req_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V",
      "job_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V",
      "nobody@example.test",
      "hello",
    ]) {
      expect(await lookupOf(q), q).toEqual([]);
    }
    const blank = await staffGet("/support/lookup?q=%20%20");
    expect(blank.status).toBe(400);
    expect((await json<Envelope>(blank)).error.code).toBe("invalid_request");
  });

  it("audits every lookup (who, what, when), and never a pasted secret", async () => {
    const res = await staffGet(`/support/lookup?q=${encodeURIComponent(customer.key.secret)}`);
    const requestId = res.headers.get("x-request-id")!;
    const db = await getDb();
    const [row] = await db.select().from(auditLog).where(eq(auditLog.requestId, requestId));
    expect(row).toMatchObject({
      action: "support.lookup",
      actorUserId: staffUserId,
      actorEmail: "support@example.com",
      actorRole: "support",
      customerId: customer.id,
      targetType: "key",
      targetId: customer.key.id,
    });
    expect(row!.at).toBeInstanceOf(Date);
    expect(JSON.stringify(row)).not.toContain(customer.key.secret);
    expect((row!.details as { q: string }).q).toBe(`${customer.key.prefix}…`);
  });

  it("L7: POST /support/lookup takes the query in the body, so a pasted secret is in no URL", async () => {
    const res = await api("/support/lookup", {
      method: "POST",
      headers: { cookie: staff, origin: ORIGIN },
      json: { q: customer.key.secret },
    });
    expect(res.status).toBe(200);
    const body = await json<{ data: { kind: string; id: string }[] }>(res);
    expect(body.data).toEqual([expect.objectContaining({ kind: "key", id: customer.key.id })]);
    const db = await getDb();
    const [row] = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.requestId, res.headers.get("x-request-id")!));
    expect(row).toMatchObject({ action: "support.lookup", targetId: customer.key.id });
    expect(JSON.stringify(row)).not.toContain(customer.key.secret);
    // Staff only, like the GET: anyone else gets 404.
    const other = await api("/support/lookup", {
      method: "POST",
      headers: { cookie: await signIn("demo@example.com", "demo-password-1"), origin: ORIGIN },
      json: { q: customer.key.secret },
    });
    expect(other.status).toBe(404);
  });

  it("GET /support/requests/{id}: the story with the customer's summary, audited", async () => {
    const res = await staffGet(`/support/requests/${failedRequestId}`);
    expect(res.status).toBe(200);
    const body = await json<SupportRequest>(res);
    expect(body.story.request).toMatchObject({ request_id: failedRequestId, code: "invalid_request" });
    expect(body.story.explanation?.code).toBe("invalid_request");
    expect(body.story.user?.email).toBe(customer.email);
    expect(body.customer).toMatchObject({ id: customer.id, status: "active", credits: 0 });
    expect(body.customer?.recent_errors).toEqual([
      expect.objectContaining({ code: "invalid_request", count: 1, last_request_id: failedRequestId }),
    ]);
    expect(body.customer?.recent_failed_requests.map((r) => r.request_id)).toContain(failedRequestId);
    expect(body.customer?.recent_jobs.map((j) => j.id)).toEqual([jobId]);
    expect(body.customer?.keys.map((k) => k.id)).toEqual([customer.key.id]);
    expect(JSON.stringify(body)).not.toContain(customer.key.secret);
    const audit = await auditRows({ action: "support.request.view", targetId: failedRequestId });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ customerId: customer.id, actorEmail: "support@example.com" });
    expect((await staffGet("/support/requests/req_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V")).status).toBe(404);
  });
});

describe("pausing and unpausing a customer", () => {
  it("needs a non-empty reason", async () => {
    const customer = await newCustomer("reason");
    for (const body of [{}, { reason: "" }, { reason: "   " }, { reason: 5 }]) {
      const res = await staffPost(`/support/customers/${customer.id}/pause`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = (await json<Envelope>(res)).error;
      expect(error.code).toBe("invalid_request");
      expect((error.details?.fields as { path: string }[])[0]?.path).toBe("reason");
    }
    expect((await bearer(customer.key.secret)).status).toBe(200);
    expect((await staffPost("/support/customers/cus_nope/pause", { reason: "x" })).status).toBe(404);
  });

  it("ends its sessions, makes its keys account_disabled (customer) at once, and is audited", async () => {
    const customer = await newCustomer("pause");
    expect((await api("/balance", { headers: { cookie: customer.cookie } })).status).toBe(200);
    expect((await bearer(customer.key.secret)).status).toBe(200);

    const res = await staffPost(`/support/customers/${customer.id}/pause`, { reason: "Chargeback on file" });
    expect(res.status).toBe(200);
    const paused = await json<CustomerPauseResult>(res);
    expect(paused).toMatchObject({
      id: customer.id,
      status: "paused",
      paused_reason: "Chargeback on file",
      paused_by: "support@example.com",
      sessions_ended: 1,
    });

    // The console session is over…
    const db = await getDb();
    const [user] = await db.select().from(users).where(eq(users.email, customer.email));
    expect(await db.select().from(sessions).where(eq(sessions.userId, user!.id))).toEqual([]);
    expect((await api("/balance", { headers: { cookie: customer.cookie } })).status).toBe(401);
    // …its keys refuse with account_disabled, scope customer, from the next request on…
    const byKey = await bearer(customer.key.secret);
    expect(byKey.status).toBe(403);
    expect((await json<Envelope>(byKey)).error).toMatchObject({
      code: "account_disabled",
      details: { scope: "customer" },
    });
    // …and signing in again works, but every API call says the account is paused.
    const again = await signIn(customer.email, "a-long-password-1");
    const viaSession = await api("/balance", { headers: { cookie: again } });
    expect(viaSession.status).toBe(403);
    expect((await json<Envelope>(viaSession)).error).toMatchObject({
      code: "account_disabled",
      details: { scope: "customer" },
    });

    const summary = await json<CustomerSummary>(await staffGet(`/support/customers/${customer.id}`));
    expect(summary).toMatchObject({
      status: "paused",
      paused_reason: "Chargeback on file",
      paused_by: "support@example.com",
    });
    expect(summary.paused_at).not.toBeNull();

    const [audit] = await auditRows({ action: "support.customer.pause", targetId: customer.id });
    expect(audit).toMatchObject({
      actorEmail: "support@example.com",
      actorRole: "support",
      customerId: customer.id,
      targetType: "customer",
      reason: "Chargeback on file",
      requestId: res.headers.get("x-request-id"),
      details: { sessions_ended: 1 },
    });

    // Pausing twice is a guarded transition: invalid_state, nothing audited twice.
    const twice = await staffPost(`/support/customers/${customer.id}/pause`, { reason: "again" });
    expect(twice.status).toBe(409);
    expect((await json<Envelope>(twice)).error).toMatchObject({
      code: "invalid_state",
      details: { status: "paused", allowed_from: ["active"] },
    });
    expect(await auditRows({ action: "support.customer.pause", targetId: customer.id })).toHaveLength(1);

    // Unpause: keys and sessions work again; the audit keeps who had paused it and why.
    const un = await staffPost(`/support/customers/${customer.id}/unpause`, { reason: "Dispute resolved" });
    expect(un.status).toBe(200);
    expect(await json<CustomerPauseResult>(un)).toMatchObject({
      status: "active",
      paused_reason: null,
      paused_by: null,
      paused_at: null,
    });
    expect((await bearer(customer.key.secret)).status).toBe(200);
    expect((await api("/balance", { headers: { cookie: again } })).status).toBe(200);
    const [unAudit] = await auditRows({ action: "support.customer.unpause", targetId: customer.id });
    expect(unAudit).toMatchObject({
      reason: "Dispute resolved",
      details: { was_paused_by: "support@example.com", was_paused_reason: "Chargeback on file" },
    });
  });

  it("accepts an Idempotency-Key: the same request is replayed, not run twice", async () => {
    const customer = await newCustomer("idem");
    const headers = { "idempotency-key": `pause-${customer.id}` };
    const first = await staffPost(
      `/support/customers/${customer.id}/pause`,
      { reason: "Abuse report" },
      headers,
    );
    const second = await staffPost(
      `/support/customers/${customer.id}/pause`,
      { reason: "Abuse report" },
      headers,
    );
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    expect(await auditRows({ action: "support.customer.pause", targetId: customer.id })).toHaveLength(1);
    const conflict = await staffPost(`/support/customers/${customer.id}/pause`, { reason: "Other" }, headers);
    expect(conflict.status).toBe(409);
    expect((await json<Envelope>(conflict)).error.code).toBe("idempotency_conflict");
  });

  it("refuses a cross-site staff POST (CSRF) with origin_not_allowed", async () => {
    const customer = await newCustomer("csrf");
    const res = await api(`/support/customers/${customer.id}/pause`, {
      method: "POST",
      headers: { cookie: staff, origin: "https://evil.example" },
      json: { reason: "x" },
    });
    expect(res.status).toBe(403);
    expect((await json<Envelope>(res)).error.code).toBe("origin_not_allowed");
    expect((await bearer(customer.key.secret)).status).toBe(200);
  });
});

describe("pausing one key, and a product", () => {
  it("a paused key answers account_disabled (scope key); the customer's other keys still work", async () => {
    const customer = await newCustomer("keypause");
    const second = await json<KeyWithSecret>(
      await api("/keys", {
        method: "POST",
        headers: { cookie: customer.cookie, origin: ORIGIN },
        json: { name: "b" },
      }),
    );
    const res = await staffPost(`/support/keys/${customer.key.id}/pause`, {
      reason: "Leaked in a public repo",
    });
    expect(res.status).toBe(200);
    expect(await json<Key>(res)).toMatchObject({ id: customer.key.id, status: "paused" });
    const refused = await bearer(customer.key.secret);
    expect(refused.status).toBe(403);
    expect((await json<Envelope>(refused)).error.details).toEqual({ scope: "key" });
    expect((await bearer(second.secret)).status).toBe(200);
    expect(await auditRows({ action: "support.key.pause", targetId: customer.key.id })).toEqual([
      expect.objectContaining({
        customerId: customer.id,
        reason: "Leaked in a public repo",
        targetType: "api_key",
      }),
    ]);
    const un = await staffPost(`/support/keys/${customer.key.id}/unpause`, {
      reason: "Rolled by the customer",
    });
    expect(un.status).toBe(200);
    expect((await bearer(customer.key.secret)).status).toBe(200);
    expect((await staffPost(`/support/keys/${customer.key.id}/unpause`, { reason: "x" })).status).toBe(409);
    expect(
      (await staffPost("/support/keys/key_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V/pause", { reason: "x" })).status,
    ).toBe(404);
  });

  it("a key support paused can't be resumed by its customer; support's unpause hands it back", async () => {
    const customer = await newCustomer("staffpause");
    const patch = (status: "active" | "paused", name?: string) =>
      api(`/keys/${customer.key.id}`, {
        method: "PATCH",
        headers: { cookie: customer.cookie, origin: ORIGIN },
        json: name ? { name } : { status },
      });
    expect((await staffPost(`/support/keys/${customer.key.id}/pause`, { reason: "Abuse" })).status).toBe(200);
    const shown = await json<Key>(
      await api(`/keys/${customer.key.id}`, { headers: { cookie: customer.cookie } }),
    );
    expect(shown).toMatchObject({ status: "paused", paused_by: "support" });
    const refused = await patch("active");
    expect(refused.status).toBe(409);
    expect((await json<Envelope>(refused)).error).toMatchObject({
      code: "invalid_state",
      details: { status: "paused", paused_by: "support" },
    });
    expect((await bearer(customer.key.secret)).status).toBe(403);
    // Other changes stay the customer's to make.
    expect((await patch("paused", "renamed")).status).toBe(200);
    expect((await staffPost(`/support/keys/${customer.key.id}/unpause`, { reason: "Resolved" })).status).toBe(
      200,
    );
    expect((await patch("paused")).status).toBe(200);
    const own = await json<Key>(
      await api(`/keys/${customer.key.id}`, { headers: { cookie: customer.cookie } }),
    );
    expect(own).toMatchObject({ status: "paused", paused_by: "customer" });
    expect((await patch("active")).status).toBe(200);
    expect((await bearer(customer.key.secret)).status).toBe(200);
  });

  it("a product's pause shows in the catalog with who, when and why; both directions audited", async () => {
    const un = await staffPost("/support/products/legacy-upscale/unpause", { reason: "Back for a test" });
    expect(un.status).toBe(200);
    expect(await json<SupportProduct>(un)).toMatchObject({
      id: "legacy-upscale",
      status: "active",
      paused_by: null,
    });
    const res = await staffPost("/support/products/legacy-upscale/pause", { reason: "Upstream outage" });
    expect(res.status).toBe(200);
    const products = (await json<{ data: SupportProduct[] }>(await staffGet("/support/products"))).data;
    expect(products.find((p) => p.id === "legacy-upscale")).toMatchObject({
      status: "paused",
      paused_reason: "Upstream outage",
      paused_by: "support@example.com",
    });
    const demo = await signIn("demo@example.com", "demo-password-1");
    const catalog = await json<{ data: { id: string; status: string }[] }>(
      await api("/products", { headers: { cookie: demo } }),
    );
    expect(catalog.data.find((p) => p.id === "legacy-upscale")?.status).toBe("paused");
    expect(
      (await auditRows({ action: "support.product.pause", targetId: "legacy-upscale" })).at(-1),
    ).toMatchObject({
      reason: "Upstream outage",
      customerId: null,
    });
    expect(await auditRows({ action: "support.product.unpause", targetId: "legacy-upscale" })).toHaveLength(
      1,
    );
    expect((await staffPost("/support/products/nope/pause", { reason: "x" })).status).toBe(404);
  });
});

describe("GET /support/audit", () => {
  it("lists staff actions and lookups newest first, keyset-paged, filterable by customer", async () => {
    const customer = await newCustomer("audit");
    await staffGet(`/support/customers/${customer.id}`);
    await staffPost(`/support/customers/${customer.id}/pause`, { reason: "Audit test" });
    const forCustomer = await json<AuditList>(await staffGet(`/support/audit?customer_id=${customer.id}`));
    expect(forCustomer.data.map((e) => e.action)).toEqual([
      "support.customer.pause",
      "support.customer.view",
    ]);
    expect(forCustomer.data[0]).toMatchObject({ actor_email: "support@example.com", reason: "Audit test" });
    // The customer's own key creation is there only when asking for everyone's entries.
    const everyone = await json<AuditList>(
      await staffGet(`/support/audit?customer_id=${customer.id}&actor=all`),
    );
    expect(everyone.data.map((e) => e.action)).toContain("key.create");

    const all = (await json<AuditList>(await staffGet("/support/audit?limit=100"))).data.map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditList = await json<AuditList>(
        await staffGet(`/support/audit?limit=3${cursor ? `&cursor=${cursor}` : ""}`),
      );
      seen.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
    } while (cursor && seen.length < all.length);
    // Newer entries (this paging is not audited) can't appear: the listing itself writes none.
    expect(seen.slice(0, all.length)).toEqual(all.slice(0, seen.length));
    expect((await staffGet("/support/audit?cursor=nope")).status).toBe(400);
  });
});
