import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { RequestList, RequestStory, RequestSummary } from "@/lib/api/contract/requests.schema";
import { getDb } from "@/lib/server/db/client";
import { customers, jobs, ledgerEntries, requestLog, users } from "@/lib/server/db/schema";
import { newId } from "@/lib/server/ids";
import { pruneRequestLog } from "@/lib/server/requests/retention";
import { flushRequestLog } from "@/lib/server/request-log/writer";
import { api, json, ORIGIN, signIn, signUp, uniqueEmail } from "../support/api";

// The customer's request log: keyset paging, filters, the summary, one request's story, retention.

type Envelope = {
  error: { code: string; message: string; request_id: string; details?: Record<string, unknown> };
};

async function customerOf(email: string): Promise<string> {
  const db = await getDb();
  const [user] = await db.select({ customerId: users.customerId }).from(users).where(eq(users.email, email));
  return user!.customerId!;
}

async function get<T>(cookie: string, path: string): Promise<{ res: Response; body: T }> {
  const res = await api(path, { headers: { cookie } });
  return { res, body: await json<T>(res) };
}

let cookie: string;
let customerId: string;
let otherCookie: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const email = uniqueEmail("reqlog");
  cookie = await signUp(email, "a-long-password-1", "Log Owner");
  customerId = await customerOf(email);
  otherCookie = await signUp(uniqueEmail("reqlog-other"), "a-long-password-1");
  // A spread of outcomes for this customer: 200s, a 400, a 404, and another customer's request.
  const send = async (name: string, path: string, init: RequestInit & { json?: unknown } = {}) => {
    const res = await api(path, { ...init, headers: { cookie, ...(init.headers as object) } });
    ids[name] = res.headers.get("x-request-id")!;
    return res;
  };
  await send("balance", "/balance");
  await send("products", "/products");
  await send("invalid", "/billing/settings", {
    method: "PATCH",
    headers: { origin: ORIGIN },
    json: { low_balance_credits: 99_999_999_999 },
  });
  await send("missing", "/keys/key_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V");
  await send("balance2", "/balance");
  const other = await api("/balance", { headers: { cookie: otherCookie } });
  ids.other = other.headers.get("x-request-id")!;
  await flushRequestLog();
});

describe("GET /requests", () => {
  it("lists only the customer's own requests, newest first, with every field", async () => {
    const { res, body } = await get<RequestList>(cookie, "/requests?limit=100");
    expect(res.status).toBe(200);
    const listed = body.data.map((r) => r.request_id);
    for (const name of ["balance", "products", "invalid", "missing", "balance2"])
      expect(listed).toContain(ids[name]);
    expect(listed).not.toContain(ids.other);
    const times = body.data.map((r) => r.at);
    expect([...times].sort().reverse()).toEqual(times);
    const invalid = body.data.find((r) => r.request_id === ids.invalid)!;
    expect(invalid).toMatchObject({
      method: "PATCH",
      path: "/api/v1/billing/settings",
      status: 400,
      code: "invalid_request",
      customer_id: customerId,
      source: "console",
      key_id: null,
      origin: ORIGIN,
    });
    expect(invalid.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it("pages with a keyset cursor, no overlaps, no gaps", async () => {
    // Bounded by `to`, so the requests this paging makes (logged as it goes) stay out of the listing.
    await flushRequestLog();
    const to = encodeURIComponent(new Date().toISOString());
    const all = (await get<RequestList>(cookie, `/requests?limit=100&to=${to}`)).body.data.map(
      (r) => r.request_id,
    );
    expect(all.length).toBeGreaterThanOrEqual(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: RequestList = (
        await get<RequestList>(cookie, `/requests?limit=2&to=${to}${cursor ? `&cursor=${cursor}` : ""}`)
      ).body;
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((r) => r.request_id));
      cursor = page.next_cursor;
    } while (cursor && seen.length < 200);
    expect(seen).toEqual(all);
  });

  it("filters by status class, code, path prefix and time range", async () => {
    const list = async (q: string) =>
      (await get<RequestList>(cookie, `/requests?limit=100&${q}`)).body.data.map((r) => r.request_id);
    const fourXX = await list("status=4xx");
    expect(fourXX).toEqual(expect.arrayContaining([ids.invalid, ids.missing]));
    expect(fourXX).not.toContain(ids.balance);
    expect(await list("code=invalid_request")).toEqual([ids.invalid]);
    const balance = await list("path=/balance");
    expect(balance).toEqual(expect.arrayContaining([ids.balance, ids.balance2]));
    expect(balance).not.toContain(ids.products);
    expect(await list("path=%2Fapi%2Fv1%2Fbalance")).toEqual(balance);
    expect(await list("path=%25")).toEqual([]); // LIKE's wildcard is taken literally
    const db = await getDb();
    const [row] = await db.select().from(requestLog).where(eq(requestLog.requestId, ids.products!));
    const at = row!.at.toISOString();
    expect(
      await list(`from=${encodeURIComponent(at)}&to=${encodeURIComponent(at.replace(/\.\d+Z$/, ".999Z"))}`),
    ).toContain(ids.products);
    expect(await list(`to=${encodeURIComponent(at)}`)).not.toContain(ids.products);
  });

  it("filters by key", async () => {
    const created = await api("/keys", {
      method: "POST",
      headers: { cookie, origin: ORIGIN },
      json: { name: "filter" },
    });
    const key = await json<{ id: string; secret: string }>(created);
    const viaKey = await api("/products", { headers: { authorization: `Bearer ${key.secret}` } });
    await flushRequestLog();
    const { body } = await get<RequestList>(cookie, `/requests?key_id=${key.id}`);
    expect(body.data.map((r) => r.request_id)).toEqual([viaKey.headers.get("x-request-id")]);
    expect(body.data[0]).toMatchObject({
      source: "key",
      key_id: key.id,
      key_prefix: key.secret.slice(0, 12),
    });
    expect(JSON.stringify(body)).not.toContain(key.secret);
    const byKeys = (await get<RequestList>(cookie, "/requests?source=key&limit=100")).body.data;
    expect(byKeys.map((r) => r.request_id)).toEqual([viaKey.headers.get("x-request-id")]);
    const byConsole = (await get<RequestList>(cookie, "/requests?source=console&limit=100")).body.data;
    expect(byConsole.every((r) => r.source === "console")).toBe(true);
    expect(byConsole.map((r) => r.request_id)).toContain(ids.invalid);
  });

  it("refuses bad filters with invalid_request and field paths", async () => {
    for (const [q, path] of [
      ["status=3xx", "status"],
      ["limit=101", "limit"],
      ["from=yesterday", "from"],
      ["cursor=bm90LWEtY3Vyc29y", "cursor"],
      ["from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z", "from"],
    ] as const) {
      const { res, body } = await get<Envelope>(cookie, `/requests?${q}`);
      expect(res.status, q).toBe(400);
      expect(body.error.code).toBe("invalid_request");
      expect(
        (body.error.details?.fields as { path: string }[]).map((f) => f.path),
        q,
      ).toContain(path);
    }
  });

  it("is refused without credentials, and a staff account (no customer) gets not_found", async () => {
    expect((await api("/requests")).status).toBe(401);
    const staff = await signIn("support@example.com", "support-password-1");
    expect((await api("/requests", { headers: { cookie: staff } })).status).toBe(404);
  });
});

describe("GET /requests/summary", () => {
  it("groups the range's error codes with counts", async () => {
    const { res, body } = await get<RequestSummary>(cookie, "/requests/summary");
    expect(res.status).toBe(200);
    expect(body.total).toBeGreaterThanOrEqual(5);
    expect(body.by_class["4xx"]).toBeGreaterThanOrEqual(2);
    const invalid = body.codes.find((c) => c.code === "invalid_request");
    expect(invalid).toMatchObject({ status: 400, last_request_id: expect.stringMatching(/^req_/) });
    expect(invalid!.count).toBeGreaterThanOrEqual(1);
    expect(body.codes.find((c) => c.code === "not_found")?.count).toBeGreaterThanOrEqual(1);
    const empty = await get<RequestSummary>(
      cookie,
      "/requests/summary?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z",
    );
    expect(empty.body).toMatchObject({ total: 0, codes: [] });
  });
});

describe("GET /requests/{request_id}", () => {
  it("tells an error's story: the request, the code's meaning and fix", async () => {
    const { res, body } = await get<RequestStory>(cookie, `/requests/${ids.invalid}`);
    expect(res.status).toBe(200);
    expect(body.request).toMatchObject({ request_id: ids.invalid, status: 400, code: "invalid_request" });
    expect(body.explanation).toMatchObject({
      code: "invalid_request",
      title: "Check the highlighted fields",
      meaning: "Body failed validation.",
    });
    expect(body.user?.email).toMatch(/^reqlog-/);
    expect(body).toMatchObject({ key: null, allowlist: null, job: null, ledger: [] });
  });

  it("answers another customer's request exactly like a missing one", async () => {
    const other = await api(`/requests/${ids.other}`, { headers: { cookie } });
    const missingId = "req_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V";
    const missing = await api(`/requests/${missingId}`, { headers: { cookie } });
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    const a = (await json<Envelope>(other)).error;
    const b = (await json<Envelope>(missing)).error;
    expect(a.code).toBe("not_found");
    expect(a.message.replace(ids.other!, "ID")).toBe(b.message.replace(missingId, "ID"));
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    // …while its owner can read it.
    expect((await api(`/requests/${ids.other}`, { headers: { cookie: otherCookie } })).status).toBe(200);
    expect((await api("/requests/not-an-id", { headers: { cookie } })).status).toBe(404);
  });

  it("shows an origin denial: what was sent against the key's list, and what the list says now", async () => {
    const created = await api("/keys", {
      method: "POST",
      headers: { cookie, origin: ORIGIN },
      json: { name: "web only", allowed_origins: ["https://app.example.com"] },
    });
    const key = await json<{ id: string; secret: string }>(created);
    const denied = await api("/products", {
      headers: { authorization: `Bearer ${key.secret}`, origin: "https://evil.example" },
    });
    expect(denied.status).toBe(403);
    const id = denied.headers.get("x-request-id")!;
    // Looked up at once: the story flushes the log itself.
    const { body } = await get<RequestStory>(cookie, `/requests/${id}`);
    expect(body.request).toMatchObject({
      code: "origin_not_allowed",
      key_id: key.id,
      origin: "https://evil.example",
    });
    expect(body.key).toEqual({
      id: key.id,
      name: "web only",
      prefix: key.secret.slice(0, 12),
      status: "active",
      allowed_origins: ["https://app.example.com"],
      allowed_ips: [],
    });
    expect(body.allowlist).toMatchObject({
      result: "denied",
      code: "origin_not_allowed",
      observed_origin: "https://evil.example",
      allowed_origins: ["https://app.example.com"],
      now: { allowed: false, code: "origin_not_allowed" },
    });
    expect(body.explanation?.title).toBe("Origin not allowed");
    expect(JSON.stringify(body)).not.toContain(key.secret);
    // After the customer adds the origin, the story says the same request would pass now.
    await api(`/keys/${key.id}`, {
      method: "PATCH",
      headers: { cookie, origin: ORIGIN },
      json: { allowed_origins: ["https://app.example.com", "https://evil.example"] },
    });
    const after = (await get<RequestStory>(cookie, `/requests/${id}`)).body;
    expect(after.allowlist).toMatchObject({ result: "denied", now: { allowed: true, code: null } });
  });

  it("shows the job a request created (its status now) and the ledger rows it caused", async () => {
    // A POST of this customer, then the rows such a request writes (the jobs engine's shape).
    const post = await api("/keys", {
      method: "POST",
      headers: { cookie, origin: ORIGIN },
      json: { name: "poster" },
    });
    const requestId = post.headers.get("x-request-id")!;
    const db = await getDb();
    const jobId = newId("job");
    await db.update(customers).set({ credits: 10 }).where(eq(customers.id, customerId));
    await db.insert(jobs).values({
      id: jobId,
      customerId,
      productId: "text-to-image",
      status: "failed",
      prompt: "a cat !fail",
      costCredits: 10,
      refunded: true,
      requestId,
      error: { code: "generation_failed", message: "The demo generator failed on purpose." },
    });
    await db.insert(ledgerEntries).values([
      {
        id: newId("led"),
        customerId,
        kind: "adjustment",
        credits: 10,
        balanceAfter: 10,
        note: "test credit",
      },
      {
        id: newId("led"),
        customerId,
        kind: "job_charge",
        credits: -10,
        balanceAfter: 0,
        jobId,
        jobAttempt: 1,
        requestId,
      },
      {
        id: newId("led"),
        customerId,
        kind: "job_refund",
        credits: 10,
        balanceAfter: 10,
        jobId,
        jobAttempt: 1,
      },
    ]);
    const { body } = await get<RequestStory>(cookie, `/requests/${requestId}`);
    expect(body.job).toMatchObject({
      id: jobId,
      product: "text-to-image",
      status: "failed",
      refunded: true,
      request_id: requestId,
      error: { code: "generation_failed" },
    });
    expect(body.job_relation).toBe("created");
    expect(body.ledger.map((l) => [l.kind, l.credits])).toEqual([
      ["job_charge", -10],
      ["job_refund", 10],
    ]);
    // A read of the job is about it, but caused no credits to move.
    const readId = newId("req");
    await db.insert(requestLog).values({
      requestId: readId,
      at: new Date(),
      method: "GET",
      path: `/api/v1/jobs/${jobId}`,
      status: 200,
      durationMs: 3,
      customerId,
    });
    const readStory = (await get<RequestStory>(cookie, `/requests/${readId}`)).body;
    expect(readStory.job?.id).toBe(jobId);
    expect(readStory.job_relation).toBe("acted_on");
    expect(readStory.ledger).toEqual([]);
  });
});

describe("retention", () => {
  it("prunes rows older than REQUEST_LOG_DAYS, and only those", async () => {
    const db = await getDb();
    const now = new Date();
    const old = [newId("req"), newId("req")];
    const fresh = newId("req");
    const base = { method: "GET", path: "/api/v1/balance", status: 200, durationMs: 1, customerId };
    await db.insert(requestLog).values([
      { ...base, requestId: old[0]!, at: new Date(now.getTime() - 31 * 86_400_000) },
      { ...base, requestId: old[1]!, at: new Date(now.getTime() - 400 * 86_400_000) },
      { ...base, requestId: fresh, at: new Date(now.getTime() - 29 * 86_400_000) },
    ]);
    const deleted = await pruneRequestLog({ now, batchSize: 1 });
    expect(deleted).toBeGreaterThanOrEqual(2);
    const left = await db
      .select({ id: requestLog.requestId })
      .from(requestLog)
      .where(inArray(requestLog.requestId, [...old, fresh]));
    expect(left.map((r) => r.id)).toEqual([fresh]);
    expect(await pruneRequestLog({ now, days: 28 })).toBeGreaterThanOrEqual(1);
  });
});

describe("OpenAPI", () => {
  it("documents the request-log and support routes", async () => {
    const doc = await json<{ paths: Record<string, unknown> }>(await api("/openapi.json"));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/requests",
        "/api/v1/requests/summary",
        "/api/v1/requests/{request_id}",
        "/api/v1/support/lookup",
        "/api/v1/support/requests/{request_id}",
        "/api/v1/support/customers/{customer_id}",
        "/api/v1/support/customers/{customer_id}/pause",
        "/api/v1/support/keys/{key_id}/unpause",
        "/api/v1/support/products/{product_id}/pause",
        "/api/v1/support/audit",
      ]),
    );
  });
});
