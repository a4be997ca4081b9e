import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { LedgerEntry, LedgerList, TopUp, Usage } from "@/lib/api/contract/billing.schema";
import { debit, refundJobCharge } from "@/lib/server/billing/ledger";
import { getDb } from "@/lib/server/db/client";
import { ledgerEntries, topUps } from "@/lib/server/db/schema";
import { api, json, ORIGIN, signIn } from "../support/api";
import { balanceOf, expectLedgerExact, grant, newCustomer } from "../support/billing";

type Envelope = {
  error: { code: string; message: string; request_id: string; details?: Record<string, unknown> };
};

// Job ids are unique per run: the refund index (job, attempt, kind) is global, and a shared Postgres
// (DATABASE_URL) keeps earlier runs' rows.
const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const jid = (name: string) => `job_${name}_${RUN}`;

const post = (path: string, cookie: string, body: unknown, headers: Record<string, string> = {}) =>
  api(path, { method: "POST", headers: { cookie, origin: ORIGIN, ...headers }, json: body });

describe("packs", () => {
  it("lists the seeded packs in order, with credits, price and currency", async () => {
    const cookie = await signIn("demo@example.com", "demo-password-1");
    const res = await api("/top-up-packs", { headers: { cookie } });
    expect(res.status).toBe(200);
    const { data, next_cursor } = await json<{ data: unknown[]; next_cursor: null }>(res);
    expect(next_cursor).toBeNull();
    expect(data).toEqual([
      { id: "pack_starter", name: "Starter", credits: 500, price_cents: 500, currency: "usd" },
      { id: "pack_growth", name: "Growth", credits: 2000, price_cents: 1800, currency: "usd" },
      { id: "pack_scale", name: "Scale", credits: 10000, price_cents: 8000, currency: "usd" },
    ]);
  });
});

describe("POST /top-ups in test mode (no STRIPE_SECRET_KEY)", () => {
  // @code:invalid_pack
  it("refuses an unknown pack with invalid_pack (400, field pack) and creates nothing", async () => {
    const { cookie, customerId } = await newCustomer("invalid-pack", 40);
    const res = await post("/top-ups", cookie, { pack: "pack_nope" });
    expect(res.status).toBe(400);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("invalid_pack");
    expect(body.error.details?.fields).toEqual([{ path: "pack", message: expect.any(String) }]);
    expect(res.headers.get("x-request-id")).toBe(body.error.request_id);
    const db = await getDb();
    expect(await db.select().from(topUps).where(eq(topUps.customerId, customerId))).toHaveLength(0);
    expect(await expectLedgerExact(customerId)).toBe(40);
  });

  it("refuses a body without a pack with invalid_request", async () => {
    const { cookie, customerId } = await newCustomer("no-pack");
    const res = await post("/top-ups", cookie, {});
    expect(res.status).toBe(400);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details?.fields).toEqual([{ path: "pack", message: expect.any(String) }]);
    expect(await expectLedgerExact(customerId)).toBe(0);
  });

  it("succeeds at once: 201 succeeded, a top_up ledger row, the balance grows by the pack", async () => {
    const { cookie, customerId } = await newCustomer("test-mode", 7);
    const res = await post("/top-ups", cookie, { pack: "pack_growth" });
    expect(res.status).toBe(201);
    const topUp = await json<TopUp>(res);
    expect(topUp).toMatchObject({
      pack: "pack_growth",
      credits: 2000,
      price_cents: 1800,
      currency: "usd",
      status: "succeeded",
      provider: "test",
      checkout_url: null,
    });
    expect(topUp.id).toMatch(/^top_/);
    expect(topUp.completed_at).not.toBeNull();

    const db = await getDb();
    const rows = await db.select().from(ledgerEntries).where(eq(ledgerEntries.topUpId, topUp.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ customerId, kind: "top_up", credits: 2000, balanceAfter: 2007 });
    expect(await expectLedgerExact(customerId)).toBe(2007);

    const balance = await json<{ credits: number }>(await api("/balance", { headers: { cookie } }));
    expect(balance.credits).toBe(2007);
    const again = await api(`/top-ups/${topUp.id}`, { headers: { cookie } });
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(topUp);
  });

  it("hides one customer's top-up from another (404)", async () => {
    const a = await newCustomer("owner-a");
    const b = await newCustomer("owner-b");
    const topUp = await json<TopUp>(await post("/top-ups", a.cookie, { pack: "pack_starter" }));
    const res = await api(`/top-ups/${topUp.id}`, { headers: { cookie: b.cookie } });
    expect(res.status).toBe(404);
    expect((await json<Envelope>(res)).error.code).toBe("not_found");
    expect(await expectLedgerExact(a.customerId)).toBe(500);
    expect(await expectLedgerExact(b.customerId)).toBe(0);
  });

  it("refuses a cookie top-up from a foreign origin (CSRF) and credits nothing", async () => {
    const { cookie, customerId } = await newCustomer("csrf");
    const res = await api("/top-ups", {
      method: "POST",
      headers: { cookie, origin: "https://evil.example" },
      json: { pack: "pack_scale" },
    });
    expect(res.status).toBe(403);
    expect((await json<Envelope>(res)).error.code).toBe("origin_not_allowed");
    expect(await expectLedgerExact(customerId)).toBe(0);
  });

  it("refuses a request without credentials", async () => {
    const res = await api("/top-ups", { method: "POST", json: { pack: "pack_starter" } });
    expect(res.status).toBe(401);
    expect((await json<Envelope>(res)).error.code).toBe("authentication_failed");
  });
});

describe("GET /ledger", () => {
  async function movements(customerId: string) {
    const db = await getDb();
    await grant(customerId, 100);
    await db.transaction((tx) =>
      debit(tx, customerId, 10, { jobId: jid("ledger_1"), jobAttempt: 1, productId: "text-to-image" }),
    );
    await db.transaction((tx) =>
      debit(tx, customerId, 15, { jobId: jid("ledger_2"), jobAttempt: 1, productId: "image-edit" }),
    );
    await db.transaction((tx) =>
      refundJobCharge(tx, customerId, 15, { jobId: jid("ledger_2"), jobAttempt: 1, productId: "image-edit" }),
    );
  }

  it("pages newest first with an opaque keyset cursor, every entry exactly once", async () => {
    const { cookie, customerId } = await newCustomer("ledger-pages");
    await movements(customerId);
    const topUp = await json<TopUp>(await post("/top-ups", cookie, { pack: "pack_starter" }));
    await grant(customerId, 3);
    await grant(customerId, 4);
    // 7 movements: grant, charge, charge, refund, top-up, grant, grant.

    const pages: LedgerEntry[][] = [];
    let cursor: string | null = null;
    do {
      const qs: string = cursor ? `?limit=3&cursor=${cursor}` : "?limit=3";
      const res = await api(`/ledger${qs}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      const page: LedgerList = await json<LedgerList>(res);
      pages.push(page.data);
      cursor = page.next_cursor;
      if (cursor) expect(cursor).not.toContain("led_"); // opaque, not the raw id
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);

    const all = pages.flat();
    const ids = all.map((e) => e.id);
    expect(new Set(ids).size).toBe(7);
    expect([...ids].sort().reverse()).toEqual(ids); // newest first
    expect(all.map((e) => e.kind)).toEqual([
      "adjustment",
      "adjustment",
      "top_up",
      "job_refund",
      "job_charge",
      "job_charge",
      "adjustment",
    ]);
    expect(all.map((e) => e.credits)).toEqual([4, 3, 500, 15, -15, -10, 100]);
    // Reading down the page, each row's balance_after is the next (older) row's plus its credits.
    for (let i = 0; i < all.length - 1; i++) {
      expect(all[i]!.balance_after).toBe(all[i + 1]!.balance_after + all[i]!.credits);
    }
    expect(all[2]).toMatchObject({ kind: "top_up", top_up_id: topUp.id, job_id: null });
    expect(all[4]).toMatchObject({ kind: "job_charge", job_id: jid("ledger_2"), product_id: "image-edit" });
    expect(all[0]!.created_at).toMatch(/Z$/);
    expect(all[0]!.balance_after).toBe(await expectLedgerExact(customerId));
  });

  it("lists the seeded demo's newest movement first (the opening credits sort as the oldest)", async () => {
    const cookie = await signIn("demo@example.com", "demo-password-1");
    const topUp = await json<TopUp>(await post("/top-ups", cookie, { pack: "pack_starter" }));
    const page = await json<LedgerList>(await api("/ledger?limit=1", { headers: { cookie } }));
    expect(page.data[0]).toMatchObject({ kind: "top_up", top_up_id: topUp.id });
    await expectLedgerExact("cus_demo");
  });

  it("narrows to one job's rows with job_id", async () => {
    const { cookie, customerId } = await newCustomer("ledger-job", 50);
    const db = await getDb();
    const ref = { jobId: jid("ledger_filter"), jobAttempt: 1, productId: "text-to-image" };
    await db.transaction((tx) => debit(tx, customerId, 10, ref));
    await db.transaction((tx) => debit(tx, customerId, 10, { ...ref, jobId: jid("ledger_other") }));
    await db.transaction((tx) => refundJobCharge(tx, customerId, 10, ref));
    await db.transaction((tx) => debit(tx, customerId, 10, { ...ref, jobAttempt: 2 }));
    const page = await json<LedgerList>(
      await api(`/ledger?job_id=${jid("ledger_filter")}`, { headers: { cookie } }),
    );
    expect(page.data.map((e) => [e.kind, e.credits, e.job_id])).toEqual([
      ["job_charge", -10, jid("ledger_filter")],
      ["job_refund", 10, jid("ledger_filter")],
      ["job_charge", -10, jid("ledger_filter")],
    ]);
    expect(await expectLedgerExact(customerId)).toBe(30);
  });

  it("shows only the caller's own entries", async () => {
    const a = await newCustomer("ledger-a", 11);
    const b = await newCustomer("ledger-b", 22);
    const page = await json<LedgerList>(await api("/ledger", { headers: { cookie: b.cookie } }));
    expect(page.data.map((e) => e.credits)).toEqual([22]);
    expect(page.next_cursor).toBeNull();
    await expectLedgerExact(a.customerId);
    await expectLedgerExact(b.customerId);
  });

  it.each([
    ["limit above 100", "?limit=101", "limit"],
    ["limit 0", "?limit=0", "limit"],
    ["a non-numeric limit", "?limit=ten", "limit"],
    ["a cursor we never issued", "?cursor=bm90LWEtY3Vyc29y", "cursor"],
    ["a cursor that is not base64url", "?cursor=***", "cursor"],
  ])("refuses %s with invalid_request", async (_name, qs, path) => {
    const cookie = await signIn("demo@example.com", "demo-password-1");
    const res = await api(`/ledger${qs}`, { headers: { cookie } });
    expect(res.status).toBe(400);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details?.fields).toEqual([{ path, message: expect.any(String) }]);
  });

  it("accepts limit 100 and defaults to 20", async () => {
    const { cookie, customerId } = await newCustomer("ledger-limits");
    for (let i = 1; i <= 25; i++) await grant(customerId, i);
    const first = await json<LedgerList>(await api("/ledger", { headers: { cookie } }));
    expect(first.data).toHaveLength(20);
    expect(first.next_cursor).not.toBeNull();
    const all = await json<LedgerList>(await api("/ledger?limit=100", { headers: { cookie } }));
    expect(all.data).toHaveLength(25);
    expect(all.next_cursor).toBeNull();
    expect(await expectLedgerExact(customerId)).toBe((25 * 26) / 2);
  });
});

describe("GET /usage", () => {
  it("sums job charges minus their refunds per day, product and key, from the ledger", async () => {
    const { cookie, customerId } = await newCustomer("usage", 1000);
    const db = await getDb();
    const charge = (jobId: string, credits: number, productId: string, keyId: string | null) =>
      db.transaction((tx) => debit(tx, customerId, credits, { jobId, jobAttempt: 1, productId, keyId }));
    await charge(jid("u1"), 10, "text-to-image", null);
    await charge(jid("u2"), 10, "text-to-image", "key_usage_a");
    await charge(jid("u3"), 50, "image-to-video", "key_usage_a");
    await charge(jid("u4"), 15, "image-edit", null);
    // job_u4 failed and was refunded; its day nets to zero for image-edit.
    await db.transaction((tx) =>
      refundJobCharge(tx, customerId, 15, { jobId: jid("u4"), jobAttempt: 1, productId: "image-edit" }),
    );
    // A charge 3 days ago, and one older than the window.
    const old = await charge(jid("u5"), 10, "text-to-image", "key_usage_b");
    const ancient = await charge(jid("u6"), 50, "image-to-video", null);
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
    await db
      .update(ledgerEntries)
      .set({ createdAt: daysAgo(3) })
      .where(eq(ledgerEntries.id, old.id));
    await db
      .update(ledgerEntries)
      .set({ createdAt: daysAgo(45) })
      .where(eq(ledgerEntries.id, ancient.id));
    // Top-ups and adjustments are not usage.
    await post("/top-ups", cookie, { pack: "pack_starter" });

    const res = await api("/usage?days=30", { headers: { cookie } });
    expect(res.status).toBe(200);
    const usage = await json<Usage>(res);
    const today = new Date().toISOString().slice(0, 10);
    expect(usage.days).toBe(30);
    expect(usage.to).toBe(today);
    expect(usage.daily).toHaveLength(30);
    expect(usage.daily.at(-1)!.date).toBe(today);
    expect(usage.daily[0]!.date).toBe(usage.from);
    expect(usage.total_credits).toBe(80);
    expect(usage.products).toEqual([
      { id: "image-to-video", name: "Demo Image to Video", credits: 50 },
      { id: "text-to-image", name: "Demo Text to Image", credits: 30 },
    ]);
    expect(usage.keys).toEqual(
      expect.arrayContaining([
        { id: "key_usage_a", name: null, credits: 60 },
        { id: null, name: null, credits: 10 },
        { id: "key_usage_b", name: null, credits: 10 },
      ]),
    );
    const todayRow = usage.daily.at(-1)!;
    expect(todayRow.credits).toBe(70);
    expect(todayRow.by_product).toEqual([
      { product: "image-to-video", credits: 50 },
      { product: "text-to-image", credits: 20 },
    ]);
    expect(usage.daily.at(-4)).toMatchObject({
      credits: 10,
      by_product: [{ product: "text-to-image", credits: 10 }],
      by_key: [{ key_id: "key_usage_b", credits: 10 }],
    });
    expect(usage.daily.reduce((s, d) => s + d.credits, 0)).toBe(usage.total_credits);
    await expectLedgerExact(customerId);

    const week = await json<Usage>(await api("/usage?days=2", { headers: { cookie } }));
    expect(week.daily).toHaveLength(2);
    expect(week.total_credits).toBe(70);
  });

  it("answers an empty window for a customer with no jobs", async () => {
    const { cookie } = await newCustomer("usage-empty");
    const usage = await json<Usage>(await api("/usage", { headers: { cookie } }));
    expect(usage.days).toBe(30);
    expect(usage.total_credits).toBe(0);
    expect(usage.daily.every((d) => d.credits === 0 && d.by_product.length === 0)).toBe(true);
    expect(usage.products).toEqual([]);
  });

  it.each(["0", "91", "abc"])("refuses days=%s with invalid_request", async (days) => {
    const cookie = await signIn("demo@example.com", "demo-password-1");
    const res = await api(`/usage?days=${days}`, { headers: { cookie } });
    expect(res.status).toBe(400);
    expect((await json<Envelope>(res)).error.details?.fields).toEqual([
      { path: "days", message: expect.any(String) },
    ]);
  });
});

describe("the ledger module", () => {
  // @code:insufficient_balance
  it("refuses a debit beyond the balance with insufficient_balance {required, available}, writing nothing", async () => {
    const { customerId } = await newCustomer("debit-402", 9);
    const db = await getDb();
    await expect(
      db.transaction((tx) => debit(tx, customerId, 10, { jobId: jid("402"), jobAttempt: 1 })),
    ).rejects.toMatchObject({
      code: "insufficient_balance",
      status: 402,
      details: { required: 10, available: 9 },
    });
    expect(await balanceOf(customerId)).toBe(9);
    const rows = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.customerId, customerId), eq(ledgerEntries.kind, "job_charge")));
    expect(rows).toHaveLength(0);
    expect(await expectLedgerExact(customerId)).toBe(9);
  });

  it("refunds one charge exactly once, however often it is asked", async () => {
    const { customerId } = await newCustomer("refund-once", 30);
    const db = await getDb();
    const ref = { jobId: jid("refund_once"), jobAttempt: 1, productId: "text-to-image" };
    await db.transaction((tx) => debit(tx, customerId, 10, ref));
    const first = await db.transaction((tx) => refundJobCharge(tx, customerId, 10, ref));
    const second = await db.transaction((tx) => refundJobCharge(tx, customerId, 10, ref));
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    // A retry is a new charge (attempt 2) and may be refunded once too.
    await db.transaction((tx) => debit(tx, customerId, 10, { ...ref, jobAttempt: 2 }));
    expect(
      await db.transaction((tx) => refundJobCharge(tx, customerId, 10, { ...ref, jobAttempt: 2 })),
    ).not.toBeNull();
    expect(await expectLedgerExact(customerId)).toBe(30);
  });
});
