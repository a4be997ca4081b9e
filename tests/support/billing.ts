import { eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { credit } from "@/lib/server/billing/ledger";
import { getDb } from "@/lib/server/db/client";
import { customers, ledgerEntries, users } from "@/lib/server/db/schema";
import { signUp, uniqueEmail } from "./api";

/** A brand-new customer (signed up through better-auth), never one that other tests touch. */
export async function newCustomer(tag = "billing", credits = 0) {
  const email = uniqueEmail(tag);
  const cookie = await signUp(email, "a-long-password-1", "Billing Test");
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const customerId = user!.customerId!;
  if (credits > 0) await grant(customerId, credits);
  return { cookie, customerId, email };
}

/** Seeds credits through the ledger (an adjustment), so balance = Σ ledger holds from the start. */
export async function grant(customerId: string, credits: number) {
  const db = await getDb();
  await db.transaction((tx) => credit(tx, customerId, credits, "adjustment", { note: "test grant" }));
}

export async function balanceOf(customerId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ credits: customers.credits })
    .from(customers)
    .where(eq(customers.id, customerId));
  return row!.credits;
}

export async function ledgerSum(customerId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ sum: sql<string>`coalesce(sum(${ledgerEntries.credits}), 0)` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.customerId, customerId));
  return Number(row!.sum);
}

/**
 * The invariant: balance = Σ ledger ≥ 0, and the newest row's balance_after is the balance. Returns it.
 */
export async function expectLedgerExact(customerId: string): Promise<number> {
  const db = await getDb();
  const [balance, sum] = await Promise.all([balanceOf(customerId), ledgerSum(customerId)]);
  expect(balance, `balance of ${customerId} = Σ ledger`).toBe(sum);
  expect(balance).toBeGreaterThanOrEqual(0);
  const rows = await db
    .select({ balanceAfter: ledgerEntries.balanceAfter })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.customerId, customerId))
    .orderBy(sql`${ledgerEntries.id} desc`)
    .limit(1);
  if (rows.length) expect(rows[0]!.balanceAfter).toBe(balance);
  return balance;
}
