import { asc, eq, sql } from "drizzle-orm";
import type {
  Balance,
  BillingSettings,
  BillingSettingsUpdate,
  TopUpPack,
} from "@/lib/api/contract/billing.schema";
import { type AuditActor, changesOf, recordAudit } from "../audit/audit";
import { autoRechargeColumns, toAutoRechargeState } from "./auto-recharge";
import { toSpendState } from "./spend";
import { getDb } from "../db/client";
import { perDb } from "../db/prepared";
import { customers, topUpPacks } from "../db/schema";
import { DomainError } from "../errors";

const balanceQuery = perDb((db) =>
  db
    .select({ credits: customers.credits, updatedAt: customers.balanceUpdatedAt })
    .from(customers)
    .where(eq(customers.id, sql.placeholder("customerId")))
    .prepare("get_balance"),
);

export async function getBalance(customerId: string): Promise<Balance> {
  const [row] = await balanceQuery(await getDb()).execute({ customerId });
  if (!row) throw new DomainError("not_found");
  return { credits: row.credits, updated_at: row.updatedAt.toISOString() };
}

export async function listTopUpPacks(): Promise<TopUpPack[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(topUpPacks)
    .where(eq(topUpPacks.active, true))
    .orderBy(asc(topUpPacks.sortOrder));
  return rows.map((p) => ({
    id: p.id,
    name: p.name,
    credits: p.credits,
    price_cents: p.priceCents,
    currency: p.currency,
  }));
}

/** Who changes the settings, in which request: what the audit trail records. */
export type SettingsChangeContext = { actor: AuditActor; requestId: string | null };

/** The settings a member sets, flat, as the audit's before → after compares them. */
function auditedSettings(row: typeof customers.$inferSelect) {
  return {
    low_balance_credits: row.lowBalanceCredits,
    auto_recharge_enabled: row.autoRechargeEnabled,
    auto_recharge_threshold_credits: row.autoRechargeThreshold,
    auto_recharge_pack: row.autoRechargePack,
    auto_recharge_monthly_cap_cents: row.autoRechargeCapCents,
    monthly_credit_limit: row.monthlyCreditLimit,
  };
}

/**
 * PATCH /billing/settings: the low-balance threshold, the auto-recharge setting, the monthly credit
 * limit. Audited (billing.settings.update, what changed) when anything did.
 */
export async function updateBillingSettings(
  customerId: string,
  update: BillingSettingsUpdate,
  ctx: SettingsChangeContext,
): Promise<BillingSettings> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(customers).where(eq(customers.id, customerId)).for("update");
    if (!before) throw new DomainError("not_found");
    const recharge = update.auto_recharge
      ? await autoRechargeColumns(tx, customerId, update.auto_recharge)
      : {};
    const [row] = await tx
      .update(customers)
      .set({
        ...(update.low_balance_credits !== undefined && { lowBalanceCredits: update.low_balance_credits }),
        ...(update.monthly_credit_limit !== undefined && { monthlyCreditLimit: update.monthly_credit_limit }),
        ...recharge,
      })
      .where(eq(customers.id, customerId))
      .returning();
    if (!row) throw new DomainError("not_found");
    const changes = changesOf(auditedSettings(before), auditedSettings(row));
    if (Object.keys(changes).length) {
      await recordAudit(tx, {
        actor: ctx.actor,
        action: "billing.settings.update",
        customerId,
        targetType: "customer",
        targetId: customerId,
        requestId: ctx.requestId,
        changes,
      });
    }
    return toSettings(row);
  });
}

export async function getBillingSettings(customerId: string): Promise<BillingSettings> {
  const db = await getDb();
  const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
  if (!row) throw new DomainError("not_found");
  return toSettings(row);
}

function toSettings(row: typeof customers.$inferSelect): BillingSettings {
  return {
    low_balance_credits: row.lowBalanceCredits,
    auto_recharge: toAutoRechargeState(row),
    spend: toSpendState(row),
  };
}
