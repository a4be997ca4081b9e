import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { TopUp } from "@/lib/api/contract/billing.schema";
import { setCheckoutGatewayForTests, type CheckoutInput } from "@/lib/server/billing/stripe";
import { getDb } from "@/lib/server/db/client";
import { idempotencyKeys, ledgerEntries, stripeEvents, topUps } from "@/lib/server/db/schema";
import { resetEnvCache } from "@/lib/server/env";
import { api, json, ORIGIN } from "../support/api";
import { expectLedgerExact, newCustomer } from "../support/billing";
import { FakeStripe } from "../support/stripe";

// Read by env() on first use; the signing helper below uses the same secret, as Stripe's CLI would.
const SECRET = "whsec_integration_0123456789abcdef";
process.env.STRIPE_WEBHOOK_SECRET = SECRET;
resetEnvCache();

type Envelope = { error: { code: string; details?: Record<string, unknown> } };

/** Stands in for Stripe's API at our one network boundary: records calls, returns sessions. */
class FakeCheckout extends FakeStripe {
  calls: CheckoutInput[] = [];
  failNext = 0;
  delayMs = 0;
  override async createCheckoutSession(input: CheckoutInput) {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("connect ETIMEDOUT api.stripe.com");
    }
    this.calls.push(input);
    const id = `cs_test_${input.topUpId}`;
    return { id, url: `https://checkout.stripe.com/c/pay/${id}` };
  }
}

const fake = new FakeCheckout();
beforeEach(() => {
  fake.calls = [];
  fake.failNext = 0;
  fake.delayMs = 0;
  setCheckoutGatewayForTests(fake);
});
afterAll(() => setCheckoutGatewayForTests(undefined));

let eventSeq = 0;
function sessionEvent(
  topUp: TopUp,
  customerId: string,
  type = "checkout.session.completed",
  session: Record<string, unknown> = {},
) {
  return {
    id: `evt_test_${Date.now()}_${++eventSeq}`,
    object: "event",
    api_version: "2025-01-27",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: {
      object: {
        id: `cs_test_${topUp.id}`,
        object: "checkout.session",
        amount_total: topUp.price_cents,
        currency: topUp.currency,
        client_reference_id: topUp.id,
        metadata: { top_up_id: topUp.id, customer_id: customerId },
        mode: "payment",
        payment_status: "paid",
        status: "complete",
        ...session,
      },
    },
  };
}

function deliver(payload: string, signature?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== undefined) headers["stripe-signature"] = signature;
  return api("/webhooks/stripe", { method: "POST", headers, body: payload });
}

function signed(event: object, opts: { secret?: string; timestamp?: number } = {}) {
  const payload = JSON.stringify(event, null, 2); // pretty-printed, as Stripe sends it
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: opts.secret ?? SECRET,
    timestamp: opts.timestamp,
  });
  return { payload, signature };
}

async function pendingTopUp(pack = "pack_starter") {
  const customer = await newCustomer("stripe", 5);
  const res = await api("/top-ups", {
    method: "POST",
    headers: { cookie: customer.cookie, origin: ORIGIN },
    json: { pack },
  });
  expect(res.status).toBe(201);
  return { ...customer, topUp: await json<TopUp>(res) };
}

async function topUpRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(topUps).where(eq(topUps.id, id));
  return row!;
}

async function creditsFor(topUpId: string) {
  const db = await getDb();
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.topUpId, topUpId));
}

describe("POST /top-ups with Stripe configured", () => {
  it("opens a Checkout Session and answers pending with its checkout_url, crediting nothing yet", async () => {
    const { topUp, customerId } = await pendingTopUp("pack_growth");
    expect(topUp).toMatchObject({
      status: "pending",
      provider: "stripe",
      pack: "pack_growth",
      credits: 2000,
      price_cents: 1800,
      checkout_url: `https://checkout.stripe.com/c/pay/cs_test_${topUp.id}`,
      completed_at: null,
    });
    expect(fake.calls).toEqual([
      {
        topUpId: topUp.id,
        customerId,
        description: "Growth pack: 2,000 credits",
        priceCents: 1800,
        currency: "usd",
        successUrl: `${ORIGIN}/billing/top-ups/${topUp.id}?checkout=success`,
        cancelUrl: `${ORIGIN}/billing/top-ups/${topUp.id}?checkout=canceled`,
      },
    ]);
    expect(await creditsFor(topUp.id)).toHaveLength(0);
    expect(await expectLedgerExact(customerId)).toBe(5);
  });

  it("answers 502 service_unavailable when Stripe is unreachable, storing nothing under the key", async () => {
    const { cookie, customerId } = await newCustomer("stripe-down");
    fake.failNext = 1;
    const key = `stripe-down-${Date.now()}`;
    const first = await api("/top-ups", {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "idempotency-key": key },
      json: { pack: "pack_starter" },
    });
    expect(first.status).toBe(502);
    expect((await json<Envelope>(first)).error.code).toBe("service_unavailable");
    expect(first.headers.get("retry-after")).toBe("2");
    const db = await getDb();
    expect(await db.select().from(topUps).where(eq(topUps.customerId, customerId))).toHaveLength(0);
    expect(
      await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.customerId, customerId)),
    ).toHaveLength(0);
    // The retry with the same key runs for real.
    const retry = await api("/top-ups", {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "idempotency-key": key },
      json: { pack: "pack_starter" },
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect((await json<TopUp>(retry)).status).toBe("pending");
    expect(await expectLedgerExact(customerId)).toBe(0);
  });
});

describe("POST /webhooks/stripe", () => {
  it("credits a paid checkout.session.completed once, and a redelivery changes nothing", async () => {
    const { topUp, customerId, cookie } = await pendingTopUp();
    const event = sessionEvent(topUp, customerId);
    const { payload, signature } = signed(event);

    const res = await deliver(payload, signature);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, duplicate: false });
    const row = await topUpRow(topUp.id);
    expect(row.status).toBe("succeeded");
    expect(row.completedAt).not.toBeNull();
    const credits = await creditsFor(topUp.id);
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ kind: "top_up", credits: 500, balanceAfter: 505 });
    expect(await expectLedgerExact(customerId)).toBe(505);

    for (let i = 0; i < 3; i++) {
      const again = await deliver(payload, signature);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ received: true, duplicate: true });
    }
    expect(await creditsFor(topUp.id)).toHaveLength(1);
    expect(await expectLedgerExact(customerId)).toBe(505);

    const seen = await api(`/top-ups/${topUp.id}`, { headers: { cookie } });
    expect(await json<TopUp>(seen)).toMatchObject({ status: "succeeded", checkout_url: null });
  });

  it("credits once when Stripe sends the same session in another event, and under concurrent redelivery", async () => {
    const { topUp, customerId } = await pendingTopUp();
    const first = signed(sessionEvent(topUp, customerId));
    const results = await Promise.all(
      Array.from({ length: 6 }, () => deliver(first.payload, first.signature)),
    );
    const bodies = await Promise.all(results.map((r) => r.json() as Promise<{ duplicate: boolean }>));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
    // A second event for the same session (e.g. async_payment_succeeded) finds it already settled.
    const other = signed(sessionEvent(topUp, customerId, "checkout.session.async_payment_succeeded"));
    expect((await deliver(other.payload, other.signature)).status).toBe(200);
    expect(await creditsFor(topUp.id)).toHaveLength(1);
    expect(await expectLedgerExact(customerId)).toBe(505);
  });

  it.each([
    ["no Stripe-Signature header", () => undefined],
    ["a signature made with another secret", (p: string) => sign(p, "whsec_someone_else")],
    ["a signature over a different payload", (p: string) => sign(p.replace('"paid"', '"unpaid"'))],
    ["a signature older than the tolerance", (p: string) => sign(p, SECRET, -3600)],
    ["a garbage header", () => "t=1,v1=deadbeef"],
  ])("refuses %s: 400, nothing credited, event not recorded", async (_name, makeSignature) => {
    const { topUp, customerId } = await pendingTopUp();
    const event = sessionEvent(topUp, customerId);
    const payload = JSON.stringify(event);
    const res = await deliver(payload, makeSignature(payload));
    expect(res.status).toBe(400);
    const body = await json<Envelope>(res);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details?.fields).toEqual([
      { path: "header.stripe-signature", message: expect.any(String) },
    ]);
    expect((await topUpRow(topUp.id)).status).toBe("pending");
    expect(await creditsFor(topUp.id)).toHaveLength(0);
    const db = await getDb();
    expect(await db.select().from(stripeEvents).where(eq(stripeEvents.id, event.id))).toHaveLength(0);
    expect(await expectLedgerExact(customerId)).toBe(5);
  });

  it("refuses every event while STRIPE_WEBHOOK_SECRET is unset", async () => {
    const { topUp, customerId } = await pendingTopUp();
    const { payload, signature } = signed(sessionEvent(topUp, customerId));
    delete process.env.STRIPE_WEBHOOK_SECRET;
    resetEnvCache();
    try {
      const res = await deliver(payload, signature);
      expect(res.status).toBe(400);
    } finally {
      process.env.STRIPE_WEBHOOK_SECRET = SECRET;
      resetEnvCache();
    }
    expect(await creditsFor(topUp.id)).toHaveLength(0);
    expect(await expectLedgerExact(customerId)).toBe(5);
  });

  it("waits for async payment: unpaid completion credits nothing, async_payment_succeeded credits", async () => {
    const { topUp, customerId } = await pendingTopUp();
    const unpaid = signed(
      sessionEvent(topUp, customerId, "checkout.session.completed", { payment_status: "unpaid" }),
    );
    expect((await deliver(unpaid.payload, unpaid.signature)).status).toBe(200);
    expect((await topUpRow(topUp.id)).status).toBe("pending");
    expect(await expectLedgerExact(customerId)).toBe(5);
    const paid = signed(sessionEvent(topUp, customerId, "checkout.session.async_payment_succeeded"));
    expect((await deliver(paid.payload, paid.signature)).status).toBe(200);
    expect((await topUpRow(topUp.id)).status).toBe("succeeded");
    expect(await expectLedgerExact(customerId)).toBe(505);
  });

  it("cancels on checkout.session.expired, and a late completion then credits nothing", async () => {
    const { topUp, customerId } = await pendingTopUp();
    const expired = signed(
      sessionEvent(topUp, customerId, "checkout.session.expired", { status: "expired" }),
    );
    expect((await deliver(expired.payload, expired.signature)).status).toBe(200);
    expect((await topUpRow(topUp.id)).status).toBe("canceled");
    const late = signed(sessionEvent(topUp, customerId));
    expect((await deliver(late.payload, late.signature)).status).toBe(200);
    expect(await creditsFor(topUp.id)).toHaveLength(0);
    expect(await expectLedgerExact(customerId)).toBe(5);
  });

  it("marks the top-up failed on async_payment_failed", async () => {
    const { topUp, customerId } = await pendingTopUp();
    const failed = signed(sessionEvent(topUp, customerId, "checkout.session.async_payment_failed"));
    expect((await deliver(failed.payload, failed.signature)).status).toBe(200);
    expect((await topUpRow(topUp.id)).status).toBe("failed");
    expect(await expectLedgerExact(customerId)).toBe(5);
  });

  it("does not credit a session whose amount differs from the top-up's price", async () => {
    const { topUp, customerId } = await pendingTopUp();
    const cheap = signed(sessionEvent(topUp, customerId, "checkout.session.completed", { amount_total: 1 }));
    expect((await deliver(cheap.payload, cheap.signature)).status).toBe(200);
    expect((await topUpRow(topUp.id)).status).toBe("pending");
    expect(await expectLedgerExact(customerId)).toBe(5);
  });

  it("acknowledges events it does not handle, and unknown sessions, without side effects", async () => {
    const { topUp, customerId } = await pendingTopUp();
    const other = signed({ ...sessionEvent(topUp, customerId), type: "customer.created" });
    expect(await (await deliver(other.payload, other.signature)).json()).toEqual({
      received: true,
      duplicate: false,
    });
    const stranger = signed(
      sessionEvent(topUp, customerId, "checkout.session.completed", {
        id: "cs_test_unknown",
        metadata: {},
      }),
    );
    expect((await deliver(stranger.payload, stranger.signature)).status).toBe(200);
    expect((await topUpRow(topUp.id)).status).toBe("pending");
    expect(await expectLedgerExact(customerId)).toBe(5);
  });
});

function sign(payload: string, secret = SECRET, offsetSeconds = 0) {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    timestamp: Math.floor(Date.now() / 1000) + offsetSeconds,
  });
}
