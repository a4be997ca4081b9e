import { asc, eq, sql } from "drizzle-orm";
import type {
  Balance,
  BillingSettings,
  BillingSettingsUpdate,
  TopUpPack,
} from "@/lib/api/contract/billing.schema";
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

/** PATCH /billing/settings: the low-balance threshold, the auto-recharge setting, the monthly credit limit. */
export async function updateBillingSettings(
  customerId: string,
  update: BillingSettingsUpdate,
): Promise<BillingSettings> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const recharge = update.auto_recharge ? await autoRechargeColumns(tx, update.auto_recharge) : {};
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
