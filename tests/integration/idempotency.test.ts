import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApiApp } from "@/lib/server/api/app";
import { customerIdOf, requireAuth } from "@/lib/server/api/middleware/auth";
import { credit, debit } from "@/lib/server/billing/ledger";
import { getDb } from "@/lib/server/db/client";
import { idempotencyKeys, ledgerEntries, topUps } from "@/lib/server/db/schema";
import { idempotencyClaim, idempotent } from "@/lib/server/api/idempotent";
import { canonicalJson, fingerprint, pruneIdempotencyKeys } from "@/lib/server/idempotency/idempotency";
import { api, json, ORIGIN } from "../support/api";
import { expectLedgerExact, grant, newCustomer } from "../support/billing";

type Envelope = {
  error: { code: string; message: string; request_id: string; details?: Record<string, unknown> };
};

function topUp(cookie: string, key: string | undefined, body: unknown = { pack: "pack_starter" }) {
  const headers: Record<string, string> = { cookie, origin: ORIGIN };
  if (key !== undefined) headers["idempotency-key"] = key;
  return api("/top-ups", { method: "POST", headers, json: body });
}

async function topUpsOf(customerId: string) {
  const db = await getDb();
  return db.select().from(topUps).where(eq(topUps.customerId, customerId));
}

async function claimsOf(customerId: string) {
  const db = await getDb();
  return db.select().from(idempotencyKeys).where(eq(idempotencyKeys.customerId, customerId));
}

/**
 * The real API app plus two test routes built from the real modules: one whose work debits through the
 * ledger (a real 402 when the balance is short), one whose work writes and then fails.
 */
const harness = createApiApp();
harness.post("/__test/spend", requireAuth("session", { permission: "billing.write" }), async (c) => {
  const body = (await c.req.json()) as { credits: number };
  const customerId = customerIdOf(c);
  const spent = await idempotent(c, idempotencyClaim(c, body), 201, async (tx) => {
    const row = await debit(tx, customerId, body.credits, { kind: "adjustment", note: "spend" });
    return { ledger_id: row.id, balance_after: row.balanceAfter };
  });
  return c.json(spent, 201);
});
harness.post("/__test/explode", requireAuth("session", { permission: "billing.write" }), async (c) => {
  const body = (await c.req.json()) as { credits: number };
  const customerId = customerIdOf(c);
  return idempotent(c, idempotencyClaim(c, body), 201, async (tx) => {
    await credit(tx, customerId, body.credits, "adjustment", { note: "must roll back" });
    throw new Error("boom after writing");
  });
});

function harnessCall(path: string, cookie: string, key: string, body: unknown) {
  return harness.fetch(
    new Request(new URL(`/api/v1${path}`, ORIGIN), {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(body),
    }),
  );
}

describe("Idempotency-Key on POST /top-ups", () => {
  it("replays the first response byte-for-byte with Idempotent-Replayed: true, running once", async () => {
    const { cookie, customerId } = await newCustomer("idem-replay");
    const key = `replay-${Date.now()}`;
    const first = await topUp(cookie, key);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const firstText = await first.text();

    for (let i = 0; i < 3; i++) {
      const again = await topUp(cookie, key);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.headers.get("content-type")).toContain("application/json");
      expect(again.headers.get("x-request-id")).toMatch(/^req_/);
      expect(await again.text()).toBe(firstText);
    }
    expect(await topUpsOf(customerId)).toHaveLength(1);
    expect(await expectLedgerExact(customerId)).toBe(500);
  });

  // @code:idempotency_conflict
  it("answers 409 idempotency_conflict for the same key with a different body, running nothing", async () => {
    const { cookie, customerId } = await newCustomer("idem-conflict");
    const key = `conflict-${Date.now()}`;
    expect((await topUp(cookie, key, { pack: "pack_starter" })).status).toBe(201);
    const res = await topUp(cookie, key, { pack: "pack_scale" });
    expect(res.status).toBe(409);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("idempotency_conflict");
    expect(body.error.details).toEqual({ reason: "different_request" });
    expect(res.headers.get("x-request-id")).toBe(body.error.request_id);
    expect(await topUpsOf(customerId)).toHaveLength(1);
    expect(await expectLedgerExact(customerId)).toBe(500);
  });

  it("runs concurrent requests with one key exactly once; the others replay it", async () => {
    const { cookie, customerId } = await newCustomer("idem-concurrent");
    const key = `concurrent-${Date.now()}`;
    const responses = await Promise.all(Array.from({ length: 8 }, () => topUp(cookie, key)));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
    const texts = await Promise.all(responses.map((r) => r.text()));
    expect(new Set(texts).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(7);
    expect(await topUpsOf(customerId)).toHaveLength(1);
    expect(await expectLedgerExact(customerId)).toBe(500);
  });

  it("scopes keys to the customer: two customers may use the same key", async () => {
    const a = await newCustomer("idem-scope-a");
    const b = await newCustomer("idem-scope-b");
    const key = `shared-${Date.now()}`;
    const ra = await topUp(a.cookie, key, { pack: "pack_starter" });
    const rb = await topUp(b.cookie, key, { pack: "pack_growth" });
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(rb.headers.get("idempotent-replayed")).toBeNull();
    expect(await expectLedgerExact(a.customerId)).toBe(500);
    expect(await expectLedgerExact(b.customerId)).toBe(2000);
  });

  it("stores nothing for validation 400s: the same key then runs the corrected request for real", async () => {
    const { cookie, customerId } = await newCustomer("idem-validation");
    const key = `validation-${Date.now()}`;
    const missing = await topUp(cookie, key, {});
    expect(missing.status).toBe(400);
    expect((await json<Envelope>(missing)).error.code).toBe("invalid_request");
    const unknown = await topUp(cookie, key, { pack: "pack_nope" });
    expect(unknown.status).toBe(400);
    expect((await json<Envelope>(unknown)).error.code).toBe("invalid_pack");
    expect(await claimsOf(customerId)).toHaveLength(0);
    const ok = await topUp(cookie, key, { pack: "pack_starter" });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("idempotent-replayed")).toBeNull();
    expect(await expectLedgerExact(customerId)).toBe(500);
  });

  it.each([
    ["an empty key", ""],
    ["a 256-character key", "k".repeat(256)],
    ["a non-ASCII key", "clé-1"],
    ["a key with a tab inside", "a\tb"],
  ])("refuses %s with invalid_request on the header, running nothing", async (_name, key) => {
    const { cookie, customerId } = await newCustomer("idem-invalid");
    const res = await topUp(cookie, key);
    expect(res.status).toBe(400);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details?.fields).toEqual([
      { path: "header.idempotency-key", message: expect.any(String) },
    ]);
    expect(await topUpsOf(customerId)).toHaveLength(0);
    expect(await claimsOf(customerId)).toHaveLength(0);
    expect(await expectLedgerExact(customerId)).toBe(0);
  });

  it("accepts 255 printable characters, spaces included", async () => {
    const { cookie, customerId } = await newCustomer("idem-long");
    for (const key of ["x".repeat(255), "order 42 / retry"]) {
      expect((await topUp(cookie, key)).status).toBe(201);
      expect((await topUp(cookie, key)).headers.get("idempotent-replayed")).toBe("true");
    }
    expect(await expectLedgerExact(customerId)).toBe(1000);
  });

  it("forgets keys after 24 h: an expired key runs again, and the pruner deletes only expired claims", async () => {
    const { cookie, customerId } = await newCustomer("idem-expiry");
    const key = `expiry-${Date.now()}`;
    expect((await topUp(cookie, key)).status).toBe(201);
    const db = await getDb();
    await db
      .update(idempotencyKeys)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(and(eq(idempotencyKeys.customerId, customerId), eq(idempotencyKeys.key, key)));
    const again = await topUp(cookie, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    expect(await topUpsOf(customerId)).toHaveLength(2);

    const fresh = `fresh-${Date.now()}`;
    await topUp(cookie, fresh);
    await db
      .update(idempotencyKeys)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(and(eq(idempotencyKeys.customerId, customerId), eq(idempotencyKeys.key, key)));
    expect(await pruneIdempotencyKeys()).toBeGreaterThanOrEqual(1);
    expect((await claimsOf(customerId)).map((c) => c.key)).toEqual([fresh]);
    expect(await expectLedgerExact(customerId)).toBe(1500);
  });
});

describe("runIdempotent around real ledger work", () => {
  it("stores a 402 insufficient_balance and replays it, even after a top-up; a new key runs again", async () => {
    const { cookie, customerId } = await newCustomer("idem-402", 5);
    const key = `spend-${Date.now()}`;
    const first = await harnessCall("/__test/spend", cookie, key, { credits: 10 });
    expect(first.status).toBe(402);
    const firstText = await first.text();
    const envelope = JSON.parse(firstText) as Envelope;
    expect(envelope.error.code).toBe("insufficient_balance");
    expect(envelope.error.details).toEqual({ required: 10, available: 5 });

    const replay = await harnessCall("/__test/spend", cookie, key, { credits: 10 });
    expect(replay.status).toBe(402);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.text()).toBe(firstText);

    await grant(customerId, 100);
    const stillStored = await harnessCall("/__test/spend", cookie, key, { credits: 10 });
    expect(stillStored.status).toBe(402);
    expect(stillStored.headers.get("idempotent-replayed")).toBe("true");
    expect(await expectLedgerExact(customerId)).toBe(105);

    const fresh = await harnessCall("/__test/spend", cookie, `${key}-new`, { credits: 10 });
    expect(fresh.status).toBe(201);
    expect(await json(fresh)).toMatchObject({ balance_after: 95 });
    expect(await expectLedgerExact(customerId)).toBe(95);
  });

  // @code:internal_error
  it("leaves nothing behind when the work fails: no claim, no ledger row, and a retry runs for real", async () => {
    const { cookie, customerId } = await newCustomer("idem-rollback", 20);
    const key = `explode-${Date.now()}`;
    const res = await harnessCall("/__test/explode", cookie, key, { credits: 1000 });
    expect(res.status).toBe(500);
    expect((await json<Envelope>(res)).error.code).toBe("internal_error");
    expect(await claimsOf(customerId)).toHaveLength(0);
    const db = await getDb();
    const rows = await db.select().from(ledgerEntries).where(eq(ledgerEntries.customerId, customerId));
    expect(rows.map((r) => r.note)).toEqual(["test grant"]);
    expect(await expectLedgerExact(customerId)).toBe(20);

    // Same key, now on a route whose work succeeds: it runs (no stored 500 to replay).
    const retry = await harnessCall("/__test/spend", cookie, key, { credits: 1000 });
    expect(retry.status).toBe(402);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
  });

  it("conflicts when one key is reused on another path", async () => {
    const { cookie, customerId } = await newCustomer("idem-path", 50);
    const key = `path-${Date.now()}`;
    expect(
      (await harnessCall("/__test/spend", cookie, key, { pack: "pack_starter", credits: 1 })).status,
    ).toBe(201);
    const other = await topUp(cookie, key, { pack: "pack_starter" });
    expect(other.status).toBe(409);
    expect((await json<Envelope>(other)).error.code).toBe("idempotency_conflict");
    expect(await topUpsOf(customerId)).toHaveLength(0);
    expect(await expectLedgerExact(customerId)).toBe(49);
  });
});

describe("fingerprints", () => {
  it("ignore object key order and undefined members, but not arrays' order or the path", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[2,1]},"b":1}',
    );
    expect(fingerprint("post", "/x", { a: 1, b: 2 })).toBe(fingerprint("POST", "/x", { b: 2, a: 1 }));
    expect(fingerprint("POST", "/x", [1, 2])).not.toBe(fingerprint("POST", "/x", [2, 1]));
    expect(fingerprint("POST", "/x", {})).not.toBe(fingerprint("POST", "/y", {}));
  });
});
