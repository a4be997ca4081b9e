import { and, eq, isNotNull, sql } from "drizzle-orm";
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
import { checkoutGateway } from "./stripe";
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
 * `<pack>!fail`: then it fails as a declined card would. A failed charge turns auto-recharge off,
 * records why, and gives the month's counter its cents back.
 */

export type SettleOutcome =
  { status: "succeeded"; topUpId: string } | { status: "failed"; topUpId: string; reason: string } | null;

/** Why a charge of `pack` fails now, or null if it succeeds (test mode and its trigger). */
function chargeFailure(pack: string | null): string | null {
  if (checkoutGateway()) {
    return "Auto-recharge with a saved card is not available with Stripe yet; top up by hand.";
  }
  if (pack?.endsWith(AUTO_RECHARGE_FAIL_SUFFIX)) {
    return `Your card was declined (test mode: the pack "${pack}" ends in ${AUTO_RECHARGE_FAIL_SUFFIX}).`;
  }
  return null;
}

/**
 * Charges the customer's recharge in flight, if one is: takes the customer's row lock first (it waits
 * for the debit that started it to commit), then settles the pending top-up — credit, top-up
 * `succeeded`, in-flight cleared; or on failure auto-recharge off with the reason, the month's cents
 * given back, top-up `failed` — all in one transaction. Safe to run any number of times at once.
 */
export async function settleAutoRecharge(customerId: string): Promise<SettleOutcome> {
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
    const reason = chargeFailure(customer.pack);
    if (reason) {
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
      await tx
        .update(topUps)
        .set({ status: "failed", failureReason: reason, completedAt: sql`now()` })
        .where(and(eq(topUps.id, topUpId), eq(topUps.status, "pending")));
      logRecharge("warn", "auto-recharge failed; turned off", customerId, topUpId, { reason });
      return { status: "failed", topUpId, reason };
    }
    const [pack] = await tx
      .select({ name: topUpPacks.name })
      .from(topUpPacks)
      .where(eq(topUpPacks.id, pending.packId));
    // The customer's row is locked (above) before the ledger's insert takes its key-share lock.
    await credit(tx, customerId, pending.credits, "top_up", {
      topUpId,
      jobId: pending.jobId,
      note: `Auto-recharge: ${pack?.name ?? pending.packId} pack (test mode)`,
      trigger: "auto_recharge",
    });
    await clearInFlight(tx, customerId, topUpId);
    const [settled] = await tx
      .update(topUps)
      .set({ status: "succeeded", completedAt: sql`now()` })
      .where(and(eq(topUps.id, topUpId), eq(topUps.status, "pending")))
      .returning();
    if (settled) await recordTopUpSucceeded(tx, settled);
    return { status: "succeeded", topUpId };
  });
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
  for (const { id } of rows) if (await settleAutoRecharge(id)) settled++;
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
export async function autoRechargeColumns(tx: Tx, setting: AutoRechargeSettings) {
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
    throw fieldError(
      "auto_recharge.enabled",
      "Auto-recharge charges a saved card, which is not available with Stripe yet; top up by hand.",
    );
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
