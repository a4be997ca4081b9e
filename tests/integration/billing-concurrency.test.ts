import { and, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import type { TopUp } from "@/lib/api/contract/billing.schema";
import { createApiApp } from "@/lib/server/api/app";
import { customerIdOf, requireAuth } from "@/lib/server/api/middleware/auth";
import { credit, debit } from "@/lib/server/billing/ledger";
import { setCheckoutGatewayForTests, type CheckoutInput } from "@/lib/server/billing/stripe";
import { getDb } from "@/lib/server/db/client";
import { customers, idempotencyKeys, ledgerEntries, topUps } from "@/lib/server/db/schema";
import { resetEnvCache } from "@/lib/server/env";
import { DomainError } from "@/lib/server/errors";
import { idempotencyClaim, idempotent } from "@/lib/server/api/idempotent";
import { newId } from "@/lib/server/ids";
import { api, ORIGIN } from "../support/api";
import { expectLedgerExact, newCustomer } from "../support/billing";
import { FakeStripe } from "../support/stripe";

/**
 * Races that only a real Postgres can show (PGlite runs one query at a time). Run with DATABASE_URL.
 */
const SECRET = "whsec_concurrency_0123456789abcdef";
process.env.STRIPE_WEBHOOK_SECRET = SECRET;
resetEnvCache();

async function bareCustomer(credits: number): Promise<string> {
  const db = await getDb();
  const id = newId("cus");
  await db.insert(customers).values({ id, name: `race ${id}` });
  if (credits > 0) await db.transaction((tx) => credit(tx, id, credits, "adjustment", { note: "trial" }));
  return id;
}

describe.skipIf(!process.env.DATABASE_URL)("on real Postgres", () => {
  afterAll(() => setCheckoutGatewayForTests(undefined));

  it("concurrent debits never overdraw: exactly ⌊balance/price⌋ succeed, balance = Σ ledger (randomized)", async () => {
    const db = await getDb();
    let trials = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }), // price
        fc.integer({ min: 0, max: 30 }), // how many debits the balance covers
        fc.nat(), // remainder seed (< price)
        fc.integer({ min: 1, max: 25 }), // debits beyond what the balance covers
        async (price, covered, remainderSeed, extra) => {
          trials++;
          const remainder = remainderSeed % price;
          const balance = covered * price + remainder;
          const customerId = await bareCustomer(balance);
          const parallel = covered + extra;
          const results = await Promise.allSettled(
            Array.from({ length: parallel }, (_, i) =>
              db.transaction((tx) =>
                debit(tx, customerId, price, { jobId: `job_race_${customerId}_${i}`, jobAttempt: 1 }),
              ),
            ),
          );
          const ok = results.filter((r) => r.status === "fulfilled");
          const refused = results.filter((r) => r.status === "rejected");
          expect(ok).toHaveLength(covered);
          for (const r of refused) {
            const error = r.reason as DomainError;
            expect(error).toBeInstanceOf(DomainError);
            expect(error.code).toBe("insufficient_balance");
            expect(error.details?.required).toBe(price);
            expect(error.details?.available as number).toBeLessThan(price);
          }
          // The successful charges walked the balance down one price at a time, never below zero.
          const after = ok.map(
            (r) => (r as PromiseFulfilledResult<{ balanceAfter: number }>).value.balanceAfter,
          );
          expect(after.sort((a, b) => b - a)).toEqual(
            Array.from({ length: covered }, (_, i) => balance - (i + 1) * price),
          );
          expect(await expectLedgerExact(customerId)).toBe(remainder);
        },
      ),
      { numRuns: 300 },
    );
    expect(trials).toBeGreaterThanOrEqual(300);
  }, 300_000);

  it("concurrent top-ups with one Idempotency-Key run once; the rest wait and replay", async () => {
    const { cookie, customerId } = await newCustomer("pg-idem");
    const key = `pg-concurrent-${Date.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 12 }, () =>
        api("/top-ups", {
          method: "POST",
          headers: { cookie, origin: ORIGIN, "idempotency-key": key },
          json: { pack: "pack_starter" },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(new Set(await Promise.all(responses.map((r) => r.text()))).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(11);
    const db = await getDb();
    expect(await db.select().from(topUps).where(eq(topUps.customerId, customerId))).toHaveLength(1);
    expect(await expectLedgerExact(customerId)).toBe(500);
  });

  it("a slow first request (Stripe call in flight) makes the second wait, then replay; Stripe is called once", async () => {
    let calls = 0;
    const slow = new (class extends FakeStripe {
      override async createCheckoutSession(input: CheckoutInput) {
        calls++;
        await new Promise((r) => setTimeout(r, 1500));
        return {
          id: `cs_slow_${input.topUpId}`,
          url: `https://checkout.stripe.com/c/pay/cs_slow_${input.topUpId}`,
        };
      }
    })();
    setCheckoutGatewayForTests(slow);
    try {
      const { cookie, customerId } = await newCustomer("pg-slow");
      const key = `pg-slow-${Date.now()}`;
      const call = () =>
        api("/top-ups", {
          method: "POST",
          headers: { cookie, origin: ORIGIN, "idempotency-key": key },
          json: { pack: "pack_growth" },
        });
      const first = call();
      await new Promise((r) => setTimeout(r, 300));
      const second = await call();
      const firstRes = await first;
      expect(firstRes.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      expect(await second.text()).toBe(await firstRes.text());
      expect(calls).toBe(1);
      expect(await expectLedgerExact(customerId)).toBe(0);
    } finally {
      setCheckoutGatewayForTests(undefined);
    }
  });

  it("a key still running after 10 s answers 409 in_progress with Retry-After: 1", async () => {
    const { cookie, customerId } = await newCustomer("pg-in-progress");
    const key = `pg-held-${Date.now()}`;
    const db = await getDb();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    // Another request's transaction holds the claim (uncommitted) for longer than the wait.
    const holder = db
      .transaction(async (tx) => {
        await tx.insert(idempotencyKeys).values({ customerId, key, fingerprint: "someone-else" });
        await released;
        throw new Error("roll back the held claim");
      })
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    const res = await api("/top-ups", {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "idempotency-key": key },
      json: { pack: "pack_starter" },
    });
    release();
    await holder;
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_500);
    expect(res.status).toBe(409);
    expect(res.headers.get("retry-after")).toBe("1");
    const body = (await res.json()) as { error: { code: string; details: unknown } };
    expect(body.error.code).toBe("idempotency_conflict");
    expect(body.error.details).toEqual({ reason: "in_progress" });
    // The holder rolled back, so the key is free: a retry runs for real.
    const retry = await api("/top-ups", {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "idempotency-key": key },
      json: { pack: "pack_starter" },
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(await expectLedgerExact(customerId)).toBe(500);
  }, 30_000);

  it("the claim's 10 s wait does not bound the work's own waits (a busy balance row is not in_progress)", async () => {
    const harness = createApiApp();
    harness.post("/__test/spend", requireAuth("session", { permission: "billing.write" }), async (c) => {
      const body = (await c.req.json()) as { credits: number };
      const customerId = customerIdOf(c);
      const spent = await idempotent(c, idempotencyClaim(c, body), 201, async (tx) => {
        const row = await debit(tx, customerId, body.credits, { kind: "adjustment" });
        return { balance_after: row.balanceAfter };
      });
      return c.json(spent, 201);
    });
    const { cookie, customerId } = await newCustomer("pg-busy-row");
    const db = await getDb();
    await db.transaction((tx) => credit(tx, customerId, 50, "adjustment", { note: "trial" }));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from customers where id = ${customerId} for update`);
      await released;
    });
    await new Promise((r) => setTimeout(r, 200));
    const pending = harness.fetch(
      new Request(new URL("/api/v1/__test/spend", ORIGIN), {
        method: "POST",
        headers: {
          cookie,
          origin: ORIGIN,
          "content-type": "application/json",
          "idempotency-key": `busy-${Date.now()}`,
        },
        body: JSON.stringify({ credits: 20 }),
      }),
    );
    await new Promise((r) => setTimeout(r, 11_000));
    release();
    await holder;
    const res = await pending;
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ balance_after: 30 });
    expect(await expectLedgerExact(customerId)).toBe(30);
  }, 30_000);

  it("concurrent redeliveries of a Stripe event credit the top-up once", async () => {
    const gateway = new (class extends FakeStripe {
      override async createCheckoutSession(input: CheckoutInput) {
        return {
          id: `cs_pg_${input.topUpId}`,
          url: `https://checkout.stripe.com/c/pay/cs_pg_${input.topUpId}`,
        };
      }
    })();
    setCheckoutGatewayForTests(gateway);
    try {
      const { cookie, customerId } = await newCustomer("pg-webhook");
      const res = await api("/top-ups", {
        method: "POST",
        headers: { cookie, origin: ORIGIN },
        json: { pack: "pack_scale" },
      });
      const topUp = (await res.json()) as TopUp;
      const session = {
        id: `cs_pg_${topUp.id}`,
        object: "checkout.session",
        amount_total: topUp.price_cents,
        currency: topUp.currency,
        payment_status: "paid",
        metadata: { top_up_id: topUp.id },
      };
      const events = ["evt_pg_a", "evt_pg_b"].map((id) => {
        const payload = JSON.stringify({
          id: `${id}_${topUp.id}`,
          object: "event",
          type: id.endsWith("a") ? "checkout.session.completed" : "checkout.session.async_payment_succeeded",
          data: { object: session },
        });
        return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }) };
      });
      const deliveries = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api("/webhooks/stripe", {
            method: "POST",
            headers: { "content-type": "application/json", "stripe-signature": events[i % 2]!.signature },
            body: events[i % 2]!.payload,
          }),
        ),
      );
      expect(deliveries.every((d) => d.status === 200)).toBe(true);
      const db = await getDb();
      const rows = await db
        .select()
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.customerId, customerId), eq(ledgerEntries.topUpId, topUp.id)));
      expect(rows).toHaveLength(1);
      expect(await expectLedgerExact(customerId)).toBe(10_000);
    } finally {
      setCheckoutGatewayForTests(undefined);
    }
  });
});
