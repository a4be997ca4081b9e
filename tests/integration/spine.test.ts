import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CATALOG_CODES } from "@/lib/api/contract/error-codes";
import { getDb } from "@/lib/server/db/client";
import { customers, ledgerEntries, products, requestLog, topUpPacks, users } from "@/lib/server/db/schema";
import { flushRequestLog } from "@/lib/server/request-log/writer";
import { api, json, ORIGIN, signIn, signUp, uniqueEmail } from "../support/api";

type Envelope = {
  error: { code: string; message: string; request_id: string; details?: Record<string, unknown> };
};

describe("the envelope", () => {
  // @code:not_found
  it("answers an unknown path with not_found, the header id equal to the envelope's", async () => {
    const res = await api("/anything-unknown");
    expect(res.status).toBe(404);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("not_found");
    expect(body.error.request_id).toMatch(/^req_[0-9A-Z]{26}$/);
    expect(res.headers.get("x-request-id")).toBe(body.error.request_id);
  });

  it("answers a method a path does not take with not_found", async () => {
    for (const method of ["PUT", "DELETE", "PATCH", "POST"]) {
      const res = await api("/health", { method });
      expect(res.status, method).toBe(404);
      expect((await json<Envelope>(res)).error.code).toBe("not_found");
    }
  });

  // @code:authentication_failed
  it("refuses a request without credentials with authentication_failed", async () => {
    const res = await api("/balance");
    expect(res.status).toBe(401);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("authentication_failed");
    expect(res.headers.get("x-request-id")).toBe(body.error.request_id);
  });

  it("turns a validation failure into invalid_request with field paths", async () => {
    const cookie = await signIn("demo@example.com", "demo-password-1");
    const res = await api("/billing/settings", {
      method: "PATCH",
      headers: { cookie, origin: ORIGIN },
      json: { low_balance_credits: -5 },
    });
    expect(res.status).toBe(400);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details?.fields).toEqual([
      { path: "low_balance_credits", message: expect.any(String) },
    ]);
  });

  it("turns malformed JSON into invalid_request", async () => {
    const cookie = await signIn("demo@example.com", "demo-password-1");
    const res = await api("/billing/settings", {
      method: "PATCH",
      headers: { cookie, origin: ORIGIN, "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect((await json<Envelope>(res)).error.code).toBe("invalid_request");
  });
  it("records every request's id in the request log", async () => {
    const ids: string[] = [];
    for (const path of ["/health", "/anything", "/balance", "/products"]) {
      const res = await api(path);
      ids.push(res.headers.get("x-request-id") ?? "");
    }
    const db = await getDb();
    // Flushed within a second (by this process, or by the server under test when API_BASE_URL is set).
    let rows: (typeof requestLog.$inferSelect)[] = [];
    for (let i = 0; i < 30 && rows.length < ids.length; i++) {
      await flushRequestLog();
      rows = await db.select().from(requestLog).where(inArray(requestLog.requestId, ids));
      if (rows.length < ids.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows.map((r) => r.requestId).sort()).toEqual([...ids].sort());
    const unknown = rows.find((r) => r.path === "/api/v1/anything");
    expect(unknown?.status).toBe(404);
    expect(unknown?.code).toBe("not_found");
  });
});

describe("health and catalog", () => {
  it("reports health without auth", async () => {
    const res = await api("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ok", rate_limiter: "ok" });
  });

  it("lists products (one per needs value, one paused) and packs for a signed-in user", async () => {
    const cookie = await signIn("demo@example.com", "demo-password-1");
    const res = await api("/products", { headers: { cookie } });
    expect(res.status).toBe(200);
    const { data } = await json<{ data: { needs: string | null; status: string }[] }>(res);
    expect(new Set(data.map((p) => p.needs))).toEqual(new Set([null, "source_image_url", "start_image_url"]));
    expect(data.some((p) => p.status === "paused")).toBe(true);
    const packs = await json<{ data: unknown[] }>(await api("/top-up-packs", { headers: { cookie } }));
    expect(packs.data.length).toBeGreaterThan(0);
  });

  it("serves an OpenAPI 3.1 document listing the routes", async () => {
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    const doc = await json<{ openapi: string; paths: Record<string, unknown> }>(res);
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/health",
        "/api/v1/products",
        "/api/v1/balance",
        "/api/v1/top-up-packs",
      ]),
    );
  });
});

describe("seed", () => {
  it("gives exactly the local defaults, and balance = Σ ledger", async () => {
    const db = await getDb();
    const [demo] = await db.select().from(customers).where(eq(customers.id, "cus_demo"));
    const [other] = await db.select().from(customers).where(eq(customers.id, "cus_other"));
    expect(other?.credits).toBe(0);
    const ledger = await db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.customerId, "cus_demo"))
      .orderBy(ledgerEntries.id);
    // Demo's 1,000 credits arrive as its first ledger row. On a shared DATABASE_URL other files may
    // have moved Demo's balance since (billing tops it up), so only the opening row is the seed's.
    expect(ledger[0]).toMatchObject({ kind: "adjustment", credits: 1000, balanceAfter: 1000 });
    if (ledger.length === 1) expect(demo?.credits).toBe(1000);
    expect(ledger.reduce((s, l) => s + l.credits, 0)).toBe(demo?.credits);
    const [support] = await db.select().from(users).where(eq(users.email, "support@example.com"));
    expect(support?.role).toBe("support");
    expect((await db.select().from(products)).length).toBeGreaterThanOrEqual(4);
    expect((await db.select().from(topUpPacks)).length).toBeGreaterThan(0);
  });

  it("is idempotent", async () => {
    const { seedDemo } = await import("@/lib/server/db/seed");
    const db = await getDb();
    const before = await db.select().from(ledgerEntries);
    await seedDemo(db);
    await seedDemo(db);
    expect((await db.select().from(ledgerEntries)).length).toBe(before.length);
    expect((await db.select().from(users).where(eq(users.email, "demo@example.com"))).length).toBe(1);
  });
});

describe("CSRF for cookie mutations", () => {
  const cases: [string, Record<string, string>, string | undefined][] = [
    ["a foreign Origin", { origin: "https://evil.example" }, JSON.stringify({ low_balance_credits: 5 })],
    ["Origin: null", { origin: "null" }, JSON.stringify({ low_balance_credits: 5 })],
    ["no Origin", {}, JSON.stringify({ low_balance_credits: 5 })],
    [
      "text/plain from the console origin",
      { origin: ORIGIN, "content-type": "text/plain" },
      JSON.stringify({ low_balance_credits: 5 }),
    ],
  ];
  for (const [name, headers, body] of cases) {
    // @code:origin_not_allowed
    it(`refuses ${name} with origin_not_allowed and changes nothing`, async () => {
      const cookie = await signIn("demo@example.com", "demo-password-1");
      const before = await json<{ low_balance_credits: number }>(
        await api("/billing/settings", { headers: { cookie } }),
      );
      const res = await api("/billing/settings", {
        method: "PATCH",
        headers: { "content-type": "application/json", ...headers, cookie },
        body,
      });
      expect(res.status).toBe(403);
      const env = await json<Envelope>(res);
      expect(env.error.code).toBe("origin_not_allowed");
      expect(env.error.details).toHaveProperty("origin");
      const after = await json<{ low_balance_credits: number }>(
        await api("/billing/settings", { headers: { cookie } }),
      );
      expect(after).toEqual(before);
    });
  }

  it("accepts JSON from the console's own origin", async () => {
    const cookie = await signIn("demo@example.com", "demo-password-1");
    const res = await api("/billing/settings", {
      method: "PATCH",
      headers: { cookie, origin: ORIGIN },
      json: { low_balance_credits: 250 },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ low_balance_credits: 250 });
  });
});

describe("console sessions", () => {
  it("reads the demo balance with the demo session", async () => {
    const cookie = await signIn("demo@example.com", "demo-password-1");
    const res = await api("/balance", { headers: { cookie } });
    expect(res.status).toBe(200);
    expect((await json<{ credits: number }>(res)).credits).toBeGreaterThanOrEqual(0);
  });

  it("sign-up creates a customer with the user as its owner, starting at 0 credits", async () => {
    const email = uniqueEmail("signup");
    const cookie = await signUp(email, "a-long-password-1", "Ada");
    const db = await getDb();
    const [user] = await db.select().from(users).where(eq(users.email, email));
    expect(user?.role).toBe("owner");
    expect(user?.customerId).toMatch(/^cus_/);
    const res = await api("/balance", { headers: { cookie } });
    expect(await json(res)).toMatchObject({ credits: 0 });
  });

  it("refuses a wrong password", async () => {
    await expect(signIn("demo@example.com", "wrong-password")).rejects.toThrow(/sign-in failed: 401/);
  });

  it("sign-out ends the session server-side", async () => {
    const cookie = await signIn("demo@example.com", "demo-password-1");
    const { authCall } = await import("../support/api");
    const out = await authCall("/sign-out", {}, cookie);
    expect(out.status).toBe(200);
    const res = await api("/balance", { headers: { cookie } });
    expect(res.status).toBe(401);
  });

  it("gives the support account no customer balance (404)", async () => {
    const cookie = await signIn("support@example.com", "support-password-1");
    const res = await api("/balance", { headers: { cookie } });
    expect(res.status).toBe(404);
  });
});

describe("catalog", () => {
  it("has the 20 public codes", () => {
    expect(CATALOG_CODES).toHaveLength(20);
  });
});
