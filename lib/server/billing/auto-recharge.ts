import { and, eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import {
  AUTO_RECHARGE_FAIL_SUFFIX,
  type AutoRechargeSettings,
  type AutoRechargeState,
} from "@/lib/api/contract/billing.schema";
import { getDb, type Tx } from "../db/client";
import { customers, topUpPacks, topUps } from "../db/schema";
import { DomainError } from "../errors";
import { credit } from "./ledger";
import { onRechargeStarted } from "./auto-recharge-sql";
import { checkoutGateway, declineReason, type PaymentGateway, paymentProvider } from "./stripe";
import { recordTopUpSucceeded } from "./top-ups";

/**
 * Auto-recharge: when a debit leaves the balance below the customer's threshold, buy their pack —
 * exactly once, however many debits cross the threshold together, and never past the monthly cap.
 *
 * Starting one is a guarded transition of the customer's balance row, inside the debit's own UPDATE
 * (which already holds that row's lock, and which Read Committed re-evaluates on the newest row after
 * waiting on a concurrent debit): `auto_recharge_top_up_id` goes from NULL to a new top-up id only if
 * none is in flight, and the month's counter (`auto_recharge_month_cents`, reset when the UTC month
 * changed) takes the pack's price only if it stays within the cap. The same statement inserts the
 * top-up as `pending` (the outbox row; after the balance row's update, so no key-share lock of ours
 * precedes it), so a debit that commits has committed its recharge too, and one that rolls back has
 * none. Settling it — the charge — runs after the commit (`settleAutoRecharge`), and again from the
 * worker's sweep for any a process left behind.
 *
 * Test mode (no payment provider): the charge succeeds at once, unless the pack is written
 * `<pack>!fail`: then it fails as a declined card would. With Stripe: an off-session PaymentIntent on
 * the card a setup-mode Checkout saved; the recharge stays in flight (counted against the cap, no
 * second one started) until its signed webhook credits it or fails it. A failed charge turns
 * auto-recharge off, records why, and gives the month's counter its cents back.
 */

export type SettleOutcome =
  | { status: "succeeded"; topUpId: string }
  | { status: "failed"; topUpId: string; reason: string }
  /** With Stripe: the PaymentIntent is submitted; its signed webhook settles the recharge. */
  | { status: "submitted"; topUpId: string; paymentIntentId: string }
  | null;

type PendingTopUp = typeof topUps.$inferSelect;

/** Why a test-mode charge of `pack` fails now (its documented trigger), or null if it succeeds. */
function testModeFailure(pack: string | null): string | null {
  if (pack?.endsWith(AUTO_RECHARGE_FAIL_SUFFIX)) {
    return `Your card was declined (test mode: the pack "${pack}" ends in ${AUTO_RECHARGE_FAIL_SUFFIX}).`;
  }
  return null;
}

/**
 * Charges the customer's recharge in flight, if one is. Test mode: takes the customer's row lock first
 * (it waits for the debit that started it to commit), then settles the pending top-up in one
 * transaction. With Stripe: an off-session PaymentIntent on the saved card (`chargeSavedCard`); the
 * credit waits for its signed webhook. Safe to run any number of times at once.
 */
export async function settleAutoRecharge(customerId: string): Promise<SettleOutcome> {
  const gateway = checkoutGateway();
  if (gateway) return chargeSavedCard(gateway, customerId);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [customer] = await tx
      .select({ topUpId: customers.autoRechargeTopUpId, pack: customers.autoRechargePack })
      .from(customers)
      .where(eq(customers.id, customerId))
      .for("update");
    if (!customer?.topUpId) return null;
    const topUpId = customer.topUpId;
    const [pending] = await tx
      .select()
      .from(topUps)
      .where(and(eq(topUps.id, topUpId), eq(topUps.status, "pending")));
    if (!pending) {
      await clearInFlight(tx, customerId, topUpId);
      return null;
    }
    const reason = testModeFailure(customer.pack);
    if (reason) return failRecharge(tx, pending, reason);
    return completeRecharge(tx, pending, "test mode");
  });
}

/**
 * The recharge failed (a declined card, a failed PaymentIntent): auto-recharge off with the reason,
 * the month's cents given back, the top-up `failed`, the in-flight slot freed — guarded on the top-up
 * still being the one in flight and pending, so a second report of the same failure changes nothing.
 * Takes the customer's row lock first.
 */
async function failRecharge(tx: Tx, pending: PendingTopUp, reason: string): Promise<SettleOutcome> {
  const { customerId, id: topUpId } = pending;
  await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId)).for("update");
  const [failed] = await tx
    .update(topUps)
    .set({ status: "failed", failureReason: reason, completedAt: sql`now()` })
    .where(and(eq(topUps.id, topUpId), eq(topUps.status, "pending")))
    .returning({ id: topUps.id });
  if (!failed) return null;
  await tx
    .update(customers)
    .set({
      autoRechargeTopUpId: null,
      autoRechargeEnabled: false,
      autoRechargeDisabledReason: reason,
      autoRechargeDisabledAt: sql`now()`,
      autoRechargeMonthCents: sql`case when ${customers.autoRechargeMonth} = (date_trunc('month', ${pending.createdAt.toISOString()}::timestamptz at time zone 'utc'))::date
        then greatest(0, ${customers.autoRechargeMonthCents} - ${pending.priceCents}) else ${customers.autoRechargeMonthCents} end`,
    })
    .where(and(eq(customers.id, customerId), eq(customers.autoRechargeTopUpId, topUpId)));
  logRecharge("warn", "auto-recharge failed; turned off", customerId, topUpId, { reason });
  return { status: "failed", topUpId, reason };
}

/**
 * The recharge was paid: credit (a `top_up` ledger row with trigger `auto_recharge` and the job that
 * started it), top-up `succeeded`, in-flight slot freed, top_up.succeeded — exactly once: the top-up
 * leaves `pending` by a guarded UPDATE, and the ledger's unique top-up index is the last guard.
 */
async function completeRecharge(tx: Tx, pending: PendingTopUp, how: string): Promise<SettleOutcome> {
  const { customerId, id: topUpId } = pending;
  // The customer's row is locked before the ledger's insert takes its key-share lock.
  await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId)).for("update");
  const [settled] = await tx
    .update(topUps)
    .set({ status: "succeeded", completedAt: sql`now()` })
    .where(and(eq(topUps.id, topUpId), eq(topUps.status, "pending")))
    .returning();
  if (!settled) return null;
  const [pack] = await tx
    .select({ name: topUpPacks.name })
    .from(topUpPacks)
    .where(eq(topUpPacks.id, pending.packId));
  await credit(tx, customerId, pending.credits, "top_up", {
    topUpId,
    jobId: pending.jobId,
    note: `Auto-recharge: ${pack?.name ?? pending.packId} pack (${how})`,
    trigger: "auto_recharge",
  });
  await clearInFlight(tx, customerId, topUpId);
  await recordTopUpSucceeded(tx, settled);
  return { status: "succeeded", topUpId };
}

/**
 * With Stripe: the recharge in flight becomes an off-session PaymentIntent on the customer's saved
 * card. The network call runs outside any transaction (no lock is held while Stripe answers); Stripe's
 * idempotency key (the top-up's id) makes every concurrent or repeated settle the same one charge.
 * Submitted: its id is stored on the top-up and the credit waits for `payment_intent.succeeded`.
 * Declined at once, or no card saved: the recharge fails (auto-recharge off, with the reason). Stripe
 * unreachable: it stays in flight — still counted against the cap, no second one started — and the
 * worker's sweep tries again.
 */
async function chargeSavedCard(gateway: PaymentGateway, customerId: string): Promise<SettleOutcome> {
  const db = await getDb();
  const [row] = await db
    .select({
      topUp: topUps,
      stripeCustomerId: customers.stripeCustomerId,
      paymentMethodId: customers.paymentMethodId,
    })
    .from(customers)
    .innerJoin(topUps, eq(topUps.id, customers.autoRechargeTopUpId))
    .where(eq(customers.id, customerId));
  if (!row) return null;
  const pending = row.topUp;
  if (pending.status !== "pending") {
    await db.transaction((tx) => clearInFlight(tx, customerId, pending.id));
    return null;
  }
  if (pending.paymentIntentId) {
    return { status: "submitted", topUpId: pending.id, paymentIntentId: pending.paymentIntentId };
  }
  if (!row.stripeCustomerId || !row.paymentMethodId) {
    return db.transaction((tx) =>
      failRecharge(tx, pending, "No card is saved for auto-recharge. Save a card to turn it back on."),
    );
  }
  const [pack] = await db
    .select({ name: topUpPacks.name })
    .from(topUpPacks)
    .where(eq(topUpPacks.id, pending.packId));
  const charge = await gateway.chargeSavedCard({
    topUpId: pending.id,
    customerId,
    stripeCustomerId: row.stripeCustomerId,
    paymentMethodId: row.paymentMethodId,
    amountCents: pending.priceCents,
    currency: pending.currency,
    description: `Auto-recharge: ${pack?.name ?? pending.packId} pack, ${pending.credits.toLocaleString("en-US")} credits`,
  });
  if (charge.status === "declined") {
    return db.transaction(async (tx) => {
      if (charge.paymentIntentId) await notePaymentIntent(tx, pending.id, charge.paymentIntentId);
      return failRecharge(tx, pending, charge.reason);
    });
  }
  await db.transaction((tx) => notePaymentIntent(tx, pending.id, charge.paymentIntentId));
  return { status: "submitted", topUpId: pending.id, paymentIntentId: charge.paymentIntentId };
}

async function notePaymentIntent(tx: Tx, topUpId: string, paymentIntentId: string) {
  await tx
    .update(topUps)
    .set({ paymentIntentId })
    .where(and(eq(topUps.id, topUpId), isNull(topUps.paymentIntentId)));
}

/**
 * A signed payment_intent.succeeded / payment_intent.payment_failed for an auto-recharge (inside the
 * webhook's transaction, which has claimed the event id): credits it, or fails it, exactly once. The
 * top-up is found by the PaymentIntent's id, or by our id in its metadata (the webhook can arrive
 * before the settle stored the id). Returns the top-up credited, or null.
 */
export async function applyRechargePaymentEvent(
  tx: Tx,
  type: "payment_intent.succeeded" | "payment_intent.payment_failed",
  intent: Record<string, unknown>,
): Promise<string | null> {
  const intentId = typeof intent.id === "string" ? intent.id : "";
  const metadata = (intent.metadata ?? {}) as Record<string, unknown>;
  const topUpId = typeof metadata.top_up_id === "string" ? metadata.top_up_id : "";
  if (!intentId) return null;
  const [pending] = await tx
    .select()
    .from(topUps)
    .where(
      and(
        eq(topUps.provider, "stripe"),
        eq(topUps.trigger, "auto_recharge"),
        eq(topUps.status, "pending"),
        topUpId
          ? or(eq(topUps.paymentIntentId, intentId), eq(topUps.id, topUpId))
          : eq(topUps.paymentIntentId, intentId),
      ),
    );
  if (!pending) return null; // unknown, or already settled by an earlier event
  if (pending.paymentIntentId && pending.paymentIntentId !== intentId) return null;
  await notePaymentIntent(tx, pending.id, intentId);
  if (type === "payment_intent.payment_failed") {
    const error = (intent.last_payment_error ?? {}) as {
      code?: string;
      decline_code?: string;
      message?: string;
    };
    await failRecharge(tx, pending, declineReason(error));
    return null;
  }
  const received = intent.amount_received ?? intent.amount;
  if (received !== pending.priceCents || intent.currency !== pending.currency) {
    logRecharge(
      "error",
      "payment intent amount does not match its recharge; not credited",
      pending.customerId,
      pending.id,
      {
        payment_intent_id: intentId,
      },
    );
    return null;
  }
  const outcome = await completeRecharge(tx, pending, "Stripe");
  return outcome?.status === "succeeded" ? pending.id : null;
}

async function clearInFlight(tx: Tx, customerId: string, topUpId: string) {
  await tx
    .update(customers)
    .set({ autoRechargeTopUpId: null })
    .where(and(eq(customers.id, customerId), eq(customers.autoRechargeTopUpId, topUpId)));
}

function logRecharge(
  level: "warn" | "error",
  msg: string,
  customerId: string,
  topUpId: string | null,
  fields: Record<string, unknown> = {},
) {
  console.error(JSON.stringify({ level, msg, customer_id: customerId, top_up_id: topUpId, ...fields }));
}

// Settles started after a commit, so tests (and shutdown) can wait for them.
const KEY = Symbol.for("genmedia.auto-recharge.settling");
const g = globalThis as typeof globalThis & { [KEY]?: Set<Promise<unknown>> };
const settling = (g[KEY] ??= new Set());

/** What settleAutoRechargeSoon runs (a test replaces it to play a process that stops after the commit). */
export const settleHooks = {
  run(customerId: string): void {
    const run: Promise<unknown> = settleAutoRecharge(customerId)
      .catch((error: unknown) =>
        logRecharge("error", "auto-recharge settle failed", customerId, null, { error: String(error) }),
      )
      .finally(() => settling.delete(run));
    settling.add(run);
  },
};
// Settles in the background each recharge a debit of this process started, once it has committed.
onRechargeStarted((customerId) => settleHooks.run(customerId));

/** Resolves when every background settle started so far has finished. */
export async function autoRechargesSettled(): Promise<void> {
  while (settling.size) await Promise.allSettled([...settling]);
}

/** The worker's sweep: settles recharges left in flight (a process stopped between commit and settle). */
export async function settleStrandedRecharges(limit = 100): Promise<number> {
  const db = await getDb();
  const rows = await db
    .select({ id: customers.id })
    .from(customers)
    .where(isNotNull(customers.autoRechargeTopUpId))
    .limit(limit);
  let settled = 0;
  for (const { id } of rows) {
    try {
      const outcome = await settleAutoRecharge(id);
      if (outcome && outcome.status !== "submitted") settled++;
    } catch (error) {
      // Stripe unreachable: this one stays in flight for the next sweep; the others go on.
      logRecharge("error", "auto-recharge settle failed", id, null, { error: String(error) });
    }
  }
  return settled;
}

type CustomerRow = typeof customers.$inferSelect;

function monthKey(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

export function toAutoRechargeState(row: CustomerRow, now = new Date()): AutoRechargeState {
  const month = monthKey(now);
  const stored = row.autoRechargeMonth ? String(row.autoRechargeMonth).slice(0, 7) : null;
  return {
    enabled: row.autoRechargeEnabled,
    threshold_credits: row.autoRechargeThreshold,
    pack: row.autoRechargePack,
    monthly_cap_cents: row.autoRechargeCapCents,
    month,
    month_spent_cents: stored === month ? row.autoRechargeMonthCents : 0,
    in_flight: row.autoRechargeTopUpId !== null,
    disabled_reason: row.autoRechargeDisabledReason,
    disabled_at: row.autoRechargeDisabledAt?.toISOString() ?? null,
    provider: paymentProvider(),
    payment_method: row.paymentMethodId
      ? { brand: row.paymentMethodBrand, last4: row.paymentMethodLast4 }
      : null,
  };
}

function fieldError(
  path: string,
  message: string,
  code: "invalid_request" | "invalid_pack" = "invalid_request",
) {
  return new DomainError(code, { message, details: { fields: [{ path, message }] } });
}

/**
 * Checks a new setting against the packs and the mode, and returns the columns to write. Turning it
 * on clears the reason a failed charge turned it off.
 */
export async function autoRechargeColumns(tx: Tx, customerId: string, setting: AutoRechargeSettings) {
  const [base, ...rest] = setting.pack.split("!");
  const suffix = rest.length ? `!${rest.join("!")}` : "";
  if (suffix && suffix !== AUTO_RECHARGE_FAIL_SUFFIX) {
    throw fieldError(
      "auto_recharge.pack",
      `Unknown pack suffix "${suffix}"; only ${AUTO_RECHARGE_FAIL_SUFFIX} (test mode).`,
    );
  }
  const [pack] = await tx
    .select()
    .from(topUpPacks)
    .where(and(eq(topUpPacks.id, base!), eq(topUpPacks.active, true)));
  if (!pack) throw fieldError("auto_recharge.pack", `There is no top-up pack "${base}".`, "invalid_pack");
  if (setting.enabled && checkoutGateway()) {
    const [saved] = await tx
      .select({ paymentMethodId: customers.paymentMethodId })
      .from(customers)
      .where(eq(customers.id, customerId));
    if (!saved?.paymentMethodId) {
      throw fieldError(
        "auto_recharge.enabled",
        "Auto-recharge charges a saved card: save one first (POST /billing/payment-method).",
      );
    }
  }
  if (suffix && checkoutGateway()) {
    throw fieldError("auto_recharge.pack", `${AUTO_RECHARGE_FAIL_SUFFIX} is a test-mode trigger.`);
  }
  if (setting.enabled && setting.monthly_cap_cents < pack.priceCents) {
    throw fieldError(
      "auto_recharge.monthly_cap_cents",
      `The monthly cap must be at least the pack's price (${pack.priceCents} cents), or no recharge could run.`,
    );
  }
  return {
    autoRechargeEnabled: setting.enabled,
    autoRechargeThreshold: setting.threshold_credits,
    autoRechargePack: setting.pack,
    autoRechargeCapCents: setting.monthly_cap_cents,
    ...(setting.enabled && { autoRechargeDisabledReason: null, autoRechargeDisabledAt: null }),
  };
}
