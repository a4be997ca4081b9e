import { asc, eq, sql } from "drizzle-orm";
import type { Balance, TopUpPack } from "@/lib/api/contract/billing.schema";
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

export async function updateBillingSettings(customerId: string, lowBalanceCredits: number) {
  const db = await getDb();
  const [row] = await db
    .update(customers)
    .set({ lowBalanceCredits })
    .where(eq(customers.id, customerId))
    .returning({ low_balance_credits: customers.lowBalanceCredits });
  if (!row) throw new DomainError("not_found");
  return row;
}

export async function getBillingSettings(customerId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ low_balance_credits: customers.lowBalanceCredits })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (!row) throw new DomainError("not_found");
  return row;
}
