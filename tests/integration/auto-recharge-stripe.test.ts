import { and, eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { BillingSettings, LedgerList, PaymentMethodSetup } from "@/lib/api/contract/billing.schema";
import type { Job } from "@/lib/api/contract/jobs.schema";
import {
  autoRechargesSettled,
  settleAutoRecharge,
  settleStrandedRecharges,
} from "@/lib/server/billing/auto-recharge";
import { debit } from "@/lib/server/billing/ledger";
import { setCheckoutGatewayForTests } from "@/lib/server/billing/stripe";
import { getDb } from "@/lib/server/db/client";
import { customers, events, ledgerEntries, topUps } from "@/lib/server/db/schema";
import { resetEnvCache } from "@/lib/server/env";
import { insertJob } from "@/lib/server/jobs/create";
import { api, json, ORIGIN } from "../support/api";
import { balanceOf, expectLedgerExact, newCustomer } from "../support/billing";
import { deliverStripeEvent, FakeStripe, stripeEvent } from "../support/stripe";

/**
 * Auto-recharge with Stripe configured: a setup-mode Checkout saves the card (its signed webhook stores
 * it), a recharge is an off-session PaymentIntent on it, and the credit lands only with the signed
 * payment_intent.succeeded — exactly once; a failed payment turns auto-recharge off with the reason.
 * Stripe itself is the fake gateway (the machine cannot reach api.stripe.com); the webhooks are signed
 * with the `stripe` package's test header helper.
 */

const SECRET = "whsec_integration_recharge_0123456789";
process.env.STRIPE_WEBHOOK_SECRET = SECRET;
resetEnvCache();

type Envelope = { error: { code: string; message: string; details?: Record<string, unknown> } };

let fake = new FakeStripe();
beforeEach(() => {
  fake = new FakeStripe();
  setCheckoutGatewayForTests(fake);
});
afterAll(() => setCheckoutGatewayForTests(undefined));

const patch = (cookie: string, body: unknown) =>
  api("/billing/settings", { method: "PATCH", headers: { cookie, origin: ORIGIN }, json: body });

const recharge = (over: Record<string, unknown> = {}) => ({
  auto_recharge: {
    enabled: true,
    threshold_credits: 100,
    pack: "pack_starter",
    monthly_cap_cents: 1000,
    ...over,
  },
});

const setupCard = (cookie: string, body: Record<string, unknown> = {}) =>
  api("/billing/payment-method", { method: "POST", headers: { cookie, origin: ORIGIN }, json: body });

async function settings(cookie: string) {
  return (await json<BillingSettings>(await api("/billing/settings", { headers: { cookie } }))).auto_recharge;
}

let seq = 0;
/** The signed checkout.session.completed (mode setup) Stripe sends once the card is entered. */
function setupCompleted(customerId: string, opts: { resume?: boolean; stripeCustomer?: string } = {}) {
  const n = ++seq;
  const setupIntent = `seti_test_${n}`;
  fake.cards.set(setupIntent, { id: `pm_test_${n}`, brand: "visa", last4: String(4242 + n).slice(-4) });
  return stripeEvent("checkout.session.completed", {
    id: `cs_setup_test_${n}`,
    object: "checkout.session",
    mode: "setup",
    status: "complete",
    payment_status: "no_payment_required",
    customer: opts.stripeCustomer ?? `cus_stripe_${n}`,
    setup_intent: setupIntent,
    client_reference_id: customerId,
    metadata: {
      customer_id: customerId,
      purpose: "auto_recharge_card",
      resume_auto_recharge: opts.resume ? "1" : "0",
    },
  });
}

/** A payment_intent.* event for the PaymentIntent the fake made for `topUpId`. */
function intentEvent(
  type: "payment_intent.succeeded" | "payment_intent.payment_failed",
  topUpId: string,
  over: Record<string, unknown> = {},
) {
  const intent = fake.intents.get(topUpId);
  if (!intent) throw new Error(`no PaymentIntent for ${topUpId}`);
  const succeeded = type === "payment_intent.succeeded";
  return stripeEvent(type, {
    id: intent.id,
    object: "payment_intent",
    amount: intent.input.amountCents,
    amount_received: succeeded ? intent.input.amountCents : 0,
    currency: intent.input.currency,
    customer: intent.input.stripeCustomerId,
    payment_method: intent.input.paymentMethodId,
    status: succeeded ? "succeeded" : "requires_payment_method",
    metadata: { top_up_id: topUpId, customer_id: intent.input.customerId },
    last_payment_error: succeeded
      ? null
      : {
          code: "card_declined",
          decline_code: "insufficient_funds",
          message: "Your card has insufficient funds.",
        },
    ...over,
  });
}

async function deliver(event: object) {
  const res = await deliverStripeEvent(event, SECRET);
  expect(res.status, await res.clone().text()).toBe(200);
  return json<{ received: true; duplicate: boolean }>(res);
}

/** A customer with `credits`, a card saved through the setup webhook and auto-recharge on. */
async function customerWithCard(tag: string, credits: number, over: Record<string, unknown> = {}) {
  const customer = await newCustomer(tag, credits);
  await deliver(setupCompleted(customer.customerId));
  const res = await patch(customer.cookie, recharge(over));
  expect(res.status, await res.clone().text()).toBe(200);
  return customer;
}

async function createJob(cookie: string) {
  const res = await api("/jobs", {
    method: "POST",
    headers: { cookie, origin: ORIGIN },
    json: { product: "text-to-image", prompt: "a lighthouse" }, // 10 credits
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<Job>(res);
}

async function rechargesOf(customerId: string) {
  const db = await getDb();
  return db
    .select()
    .from(topUps)
    .where(and(eq(topUps.customerId, customerId), eq(topUps.trigger, "auto_recharge")))
    .orderBy(topUps.createdAt);
}

async function topUpCredits(topUpId: string) {
  const db = await getDb();
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.topUpId, topUpId));
}

describe("saving a card (Checkout in setup mode)", () => {
  it("opens a setup session, and its signed webhook stores the Stripe customer and the card", async () => {
    const { cookie, customerId } = await newCustomer("ar-stripe-card", 500);
    expect(await settings(cookie)).toMatchObject({ provider: "stripe", payment_method: null });
    // Without a card, auto-recharge cannot be turned on.
    const refused = await patch(cookie, recharge());
    expect(refused.status).toBe(400);
    expect((await json<Envelope>(refused)).error.details?.fields).toEqual([
      { path: "auto_recharge.enabled", message: expect.stringContaining("save one first") },
    ]);

    const res = await setupCard(cookie);
    expect(res.status).toBe(201);
    const session = await json<PaymentMethodSetup>(res);
    expect(session.url).toBe(`https://checkout.stripe.com/c/setup/${session.id}`);
    expect(fake.setupCalls).toEqual([
      {
        customerId,
        stripeCustomerId: null,
        currency: "usd",
        successUrl: `${ORIGIN}/billing?payment_method=saved`,
        cancelUrl: `${ORIGIN}/billing?payment_method=canceled`,
        resumeAutoRecharge: false,
      },
    ]);

    const event = setupCompleted(customerId, { stripeCustomer: "cus_stripe_card" });
    expect(await deliver(event)).toEqual({ received: true, duplicate: false });
    expect(await deliver(event)).toEqual({ received: true, duplicate: true });
    const state = await settings(cookie);
    expect(state.payment_method).toEqual({ brand: "visa", last4: expect.stringMatching(/^\d{4}$/) });
    const db = await getDb();
    const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
    expect(row).toMatchObject({
      stripeCustomerId: "cus_stripe_card",
      paymentMethodId: expect.stringMatching(/^pm_/),
    });
    expect((await patch(cookie, recharge())).status).toBe(200);

    // A second card joins the same Stripe customer.
    expect((await setupCard(cookie)).status).toBe(201);
    expect(fake.setupCalls[1]).toMatchObject({ stripeCustomerId: "cus_stripe_card" });
  });

  it("Stripe unreachable while reading the card: 502, nothing kept, and the redelivery saves it", async () => {
    const { cookie, customerId } = await newCustomer("ar-stripe-card-down");
    const event = setupCompleted(customerId);
    const setupIntent = (event.data.object as { setup_intent: string }).setup_intent;
    const card = fake.cards.get(setupIntent)!;
    fake.cards.delete(setupIntent);
    const res = await deliverStripeEvent(event, SECRET);
    expect(res.status).toBe(502);
    expect((await json<Envelope>(res)).error.code).toBe("service_unavailable");
    expect((await settings(cookie)).payment_method).toBeNull();
    fake.cards.set(setupIntent, card);
    expect(await deliver(event)).toEqual({ received: true, duplicate: false });
    expect((await settings(cookie)).payment_method).toEqual({ brand: card.brand, last4: card.last4 });
  });

  it("is invalid_request in the built-in test mode (there is no card to save)", async () => {
    setCheckoutGatewayForTests(null);
    const { cookie } = await newCustomer("ar-test-mode-card");
    const res = await setupCard(cookie);
    expect(res.status).toBe(400);
    expect((await json<Envelope>(res)).error.code).toBe("invalid_request");
    expect(await settings(cookie)).toMatchObject({ provider: "test", payment_method: null });
  });
});

describe("auto-recharge with Stripe", () => {
  it("charges the saved card off-session once, and credits only when payment_intent.succeeded arrives", async () => {
    const { cookie, customerId } = await customerWithCard("ar-stripe", 105);
    const job = await createJob(cookie); // 95: under the threshold
    await autoRechargesSettled();
    const [pending] = await rechargesOf(customerId);
    expect(pending).toMatchObject({ status: "pending", provider: "stripe", jobId: job.id, priceCents: 500 });
    const intent = fake.intents.get(pending!.id)!;
    expect(intent.input).toMatchObject({
      topUpId: pending!.id,
      customerId,
      amountCents: 500,
      currency: "usd",
      stripeCustomerId: expect.stringMatching(/^cus_stripe_/),
      paymentMethodId: expect.stringMatching(/^pm_test_/),
    });
    expect(pending!.paymentIntentId).toBe(intent.id);
    // Nothing is credited before the webhook; the recharge is in flight and counted against the cap.
    expect(await expectLedgerExact(customerId)).toBe(95);
    expect(await settings(cookie)).toMatchObject({ in_flight: true, month_spent_cents: 500 });

    // In flight: another debit under the threshold starts nothing, and the sweep charges nothing again.
    await createJob(cookie);
    await autoRechargesSettled();
    await settleStrandedRecharges();
    expect(await rechargesOf(customerId)).toHaveLength(1);
    expect(fake.intents.size).toBe(1);
    expect(fake.chargeCalls).toHaveLength(1);

    const succeeded = intentEvent("payment_intent.succeeded", pending!.id);
    expect(await deliver(succeeded)).toEqual({ received: true, duplicate: false });
    expect(await deliver(succeeded)).toEqual({ received: true, duplicate: true });
    // Stripe may send the success again under another event id: still credited once.
    await deliver({ ...succeeded, id: `${succeeded.id}_again` });
    const credits = await topUpCredits(pending!.id);
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({
      kind: "top_up",
      credits: 500,
      trigger: "auto_recharge",
      jobId: job.id,
    });
    expect(credits[0]!.note).toContain("Stripe");
    expect(await expectLedgerExact(customerId)).toBe(85 + 500);
    expect((await rechargesOf(customerId))[0]).toMatchObject({ status: "succeeded" });
    expect(await settings(cookie)).toMatchObject({ enabled: true, in_flight: false, month_spent_cents: 500 });
    // The job's money trail links to the recharge it caused; top_up.succeeded is in the outbox.
    const trail = await json<LedgerList>(await api(`/ledger?job_id=${job.id}`, { headers: { cookie } }));
    expect(trail.data.map((e) => [e.kind, e.top_up_id])).toEqual([
      ["top_up", pending!.id],
      ["job_charge", null],
    ]);
    const db = await getDb();
    const outbox = await db.select().from(events).where(eq(events.customerId, customerId));
    expect(outbox.filter((e) => e.type === "top_up.succeeded")).toHaveLength(1);
  });

  it("payment_intent.payment_failed turns auto-recharge off with the reason; Fix payment method turns it on", async () => {
    const { cookie, customerId } = await customerWithCard("ar-stripe-failed", 105);
    await createJob(cookie);
    await autoRechargesSettled();
    const [pending] = await rechargesOf(customerId);
    expect(await deliver(intentEvent("payment_intent.payment_failed", pending!.id))).toMatchObject({
      duplicate: false,
    });
    expect((await rechargesOf(customerId))[0]).toMatchObject({
      status: "failed",
      failureReason: expect.stringContaining("insufficient funds"),
    });
    const state = await settings(cookie);
    expect(state).toMatchObject({
      enabled: false,
      in_flight: false,
      month_spent_cents: 0,
      disabled_reason: "Your card has insufficient funds. (insufficient_funds)",
    });
    // A success reported late for the failed recharge credits nothing.
    await deliver(intentEvent("payment_intent.succeeded", pending!.id));
    expect(await topUpCredits(pending!.id)).toHaveLength(0);
    expect(await expectLedgerExact(customerId)).toBe(95);

    // Fix payment method: a new card, saved with resume_auto_recharge, turns it back on.
    expect((await setupCard(cookie, { resume_auto_recharge: true })).status).toBe(201);
    expect(fake.setupCalls.at(-1)).toMatchObject({
      resumeAutoRecharge: true,
      stripeCustomerId: expect.any(String),
    });
    await deliver(setupCompleted(customerId, { resume: true }));
    expect(await settings(cookie)).toMatchObject({
      enabled: true,
      threshold_credits: 100,
      pack: "pack_starter",
      disabled_reason: null,
      disabled_at: null,
    });
    await createJob(cookie);
    await autoRechargesSettled();
    expect((await rechargesOf(customerId)).map((t) => t.status)).toEqual(["failed", "pending"]);
  });

  it("a card error at once (authentication_required) fails the recharge with the reason", async () => {
    const { cookie, customerId } = await customerWithCard("ar-stripe-sca", 105);
    fake.chargeMode = { code: "authentication_required", message: "This payment requires authentication." };
    await createJob(cookie);
    await autoRechargesSettled();
    const [failed] = await rechargesOf(customerId);
    expect(failed).toMatchObject({ status: "failed", paymentIntentId: expect.stringMatching(/^pi_/) });
    expect(await settings(cookie)).toMatchObject({
      enabled: false,
      in_flight: false,
      month_spent_cents: 0,
      disabled_reason: expect.stringContaining("authentication_required"),
    });
    expect(await expectLedgerExact(customerId)).toBe(95);
  });

  it("Stripe unreachable: the recharge stays in flight (counted, not restarted) and the sweep charges it", async () => {
    const { cookie, customerId } = await customerWithCard("ar-stripe-down", 105);
    fake.chargeMode = "unreachable";
    await createJob(cookie);
    await autoRechargesSettled();
    const [pending] = await rechargesOf(customerId);
    expect(pending).toMatchObject({ status: "pending", paymentIntentId: null });
    expect(await settings(cookie)).toMatchObject({ enabled: true, in_flight: true, month_spent_cents: 500 });
    await createJob(cookie);
    await autoRechargesSettled();
    expect(await rechargesOf(customerId)).toHaveLength(1);

    fake.chargeMode = "submitted";
    await settleStrandedRecharges();
    expect((await rechargesOf(customerId))[0]!.paymentIntentId).toBe(fake.intents.get(pending!.id)!.id);
    await deliver(intentEvent("payment_intent.succeeded", pending!.id));
    expect(await expectLedgerExact(customerId)).toBe(85 + 500);
  });

  it("no card saved (removed since it was turned on): the recharge fails with a reason to save one", async () => {
    const { cookie, customerId } = await customerWithCard("ar-stripe-nocard", 105);
    const db = await getDb();
    await db.update(customers).set({ paymentMethodId: null }).where(eq(customers.id, customerId));
    await createJob(cookie);
    await autoRechargesSettled();
    expect(await settings(cookie)).toMatchObject({
      enabled: false,
      disabled_reason: expect.stringContaining("Save a card"),
    });
    expect(fake.chargeCalls).toHaveLength(0);
  });

  it("a payment whose amount is not the recharge's is not credited", async () => {
    const { cookie, customerId } = await customerWithCard("ar-stripe-amount", 105);
    await createJob(cookie);
    await autoRechargesSettled();
    const [pending] = await rechargesOf(customerId);
    await deliver(intentEvent("payment_intent.succeeded", pending!.id, { amount: 1, amount_received: 1 }));
    expect(await topUpCredits(pending!.id)).toHaveLength(0);
    expect((await rechargesOf(customerId))[0]!.status).toBe("pending");
    expect(await balanceOf(customerId)).toBe(95);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("auto-recharge with Stripe on real Postgres", () => {
  it("200 charges racing across the threshold, settles racing the sweep: one recharge, one PaymentIntent", async () => {
    const { customerId } = await customerWithCard("ar-stripe-race", 2_500, {
      threshold_credits: 2_000,
      pack: "pack_scale",
      monthly_cap_cents: 1_000_000,
    });
    fake.chargeDelayMs = 50;
    const db = await getDb();
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        Promise.all([
          insertJob(
            db,
            { customerId, keyId: null, requestId: null },
            { product: "text-to-image", prompt: `stripe race ${i}` },
            null,
            20,
          ),
          i % 20 === 0 ? settleAutoRecharge(customerId) : null,
          i % 50 === 0 ? settleStrandedRecharges() : null,
        ]),
      ),
    );
    await autoRechargesSettled();
    await Promise.all(Array.from({ length: 10 }, () => settleAutoRecharge(customerId)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(200);
    const recharges = await rechargesOf(customerId);
    expect(recharges).toHaveLength(1);
    expect(fake.intents.size).toBe(1);
    expect(recharges[0]!.paymentIntentId).toBe(fake.intents.get(recharges[0]!.id)!.id);
    expect(await expectLedgerExact(customerId)).toBe(2_500 - 2_000);

    // 10 redeliveries (distinct event ids, as Stripe's retries can be) racing: credited once.
    const succeeded = intentEvent("payment_intent.succeeded", recharges[0]!.id);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        deliverStripeEvent({ ...succeeded, id: `${succeeded.id}_${i}` }, SECRET),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await topUpCredits(recharges[0]!.id)).toHaveLength(1);
    expect(await expectLedgerExact(customerId)).toBe(500 + 10_000);
    const [state] = await db.select().from(customers).where(eq(customers.id, customerId));
    expect(state).toMatchObject({ autoRechargeTopUpId: null, autoRechargeMonthCents: 8_000 });
  }, 60_000);

  it("the monthly cap counts recharges in flight: randomized races of debits and webhooks never pass it", async () => {
    const trials = Number(process.env.AUTO_RECHARGE_STRIPE_TRIALS ?? 30);
    const db = await getDb();
    for (let t = 0; t < trials; t++) {
      const capPacks = 1 + (t % 3); // the cap fits 1, 2 or 3 Starter packs (500 cents each)
      const { customerId } = await customerWithCard(`ar-stripe-cap-${t}`, 200, {
        threshold_credits: 150,
        pack: "pack_starter",
        monthly_cap_cents: capPacks * 500 + (t % 2) * 499,
      });
      // Rounds of racing debits; between rounds (and racing them) the in-flight recharge's webhook.
      for (let round = 0; round < 4; round++) {
        const inFlight = (await rechargesOf(customerId)).find((r) => r.status === "pending");
        const webhook =
          inFlight && fake.intents.has(inFlight.id)
            ? deliverStripeEvent(intentEvent("payment_intent.succeeded", inFlight.id), SECRET)
            : null;
        const debits = Array.from({ length: 3 + ((t + round) % 5) }, () =>
          db.transaction((tx) => debit(tx, customerId, 5 + ((t * 7 + round) % 20), { kind: "adjustment" })),
        );
        await Promise.allSettled([webhook, ...debits]);
        await autoRechargesSettled();
        const [state] = await db.select().from(customers).where(eq(customers.id, customerId));
        const recharges = await rechargesOf(customerId);
        const started = recharges.reduce((sum, r) => sum + r.priceCents, 0);
        expect(started).toBeLessThanOrEqual(state!.autoRechargeCapCents);
        expect(state!.autoRechargeMonthCents).toBe(started);
        expect(recharges.filter((r) => r.status === "pending").length).toBeLessThanOrEqual(1);
        // One PaymentIntent per recharge, never two.
        const intents = [...fake.intents.values()].filter((i) => i.input.customerId === customerId);
        expect(intents.map((i) => i.input.topUpId).sort()).toEqual(recharges.map((r) => r.id).sort());
        for (const r of recharges) {
          expect((await topUpCredits(r.id)).length).toBe(r.status === "succeeded" ? 1 : 0);
        }
        await expectLedgerExact(customerId);
      }
    }
  }, 300_000);
});
