import { and, desc, eq, sql } from "drizzle-orm";
import type { SpendAlert, SpendState } from "@/lib/api/contract/billing.schema";
import { getDb, type Tx } from "../db/client";
import { apiKeys, customers, spendAlerts } from "../db/schema";
import { DomainError } from "../errors";
import { spendLimitError } from "./ledger";
import { alertNotices, alertsCte, MONTH, spendSets, spentSoFar, withinLimit } from "./spend-sql";

/**
 * Spend controls outside the job-charge statement: a retried job's charge against its key's monthly
 * credit limit, the month's state for the console, and the usage alerts (each also a `spend.alert`
 * event in the outbox, written with it: spend-sql.ts).
 */

/**
 * Counts a charge of `credits` against the key's monthly limit: a guarded UPDATE of the key's row
 * (after the customer's, which the debit before it locked), or 402 spend_limit with nothing written.
 */
export async function chargeKeySpend(tx: Tx, keyId: string, credits: number): Promise<void> {
  const amount = sql`${credits}::int`;
  const result = (await tx.execute(sql`
    with slot as (
      update ${apiKeys} set ${spendSets("api_keys", amount)}
      where api_keys.id = ${keyId} and ${withinLimit("api_keys", amount)}
      returning api_keys.customer_id, api_keys.id as key_id, api_keys.monthly_credit_limit as credit_limit,
        api_keys.spend_month_credits as spent
    ), ${alertsCte("key_alerts", "slot", "key")}
    select (select count(*) from slot)::int as charged, ${alertNotices("key_alerts")}
  `)) as unknown as { rows: { charged: number }[] };
  if (Number(result.rows[0]?.charged) > 0) return;
  const [current] = await tx
    .select({ limit: apiKeys.monthlyCreditLimit, spent: sql<number>`${spentSoFar("api_keys")}` })
    .from(apiKeys)
    .where(eq(apiKeys.id, keyId));
  if (!current) throw new DomainError("not_found");
  throw spendLimitError({
    reason: "spend_limit",
    scope: "key",
    keyId,
    limit: current.limit ?? 0,
    spent: Number(current.spent),
    required: credits,
  });
}

export function monthKey(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

/** A row's spend state this month (`spend_month` is a date string `YYYY-MM-DD`, or a Date). */
export function toSpendState(
  row: { monthlyCreditLimit: number | null; spendMonth: string | Date | null; spendMonthCredits: number },
  now = new Date(),
): SpendState {
  const month = monthKey(now);
  const stored =
    row.spendMonth === null
      ? null
      : row.spendMonth instanceof Date
        ? monthKey(row.spendMonth)
        : row.spendMonth.slice(0, 7);
  return {
    monthly_credit_limit: row.monthlyCreditLimit,
    month,
    month_spent_credits: stored === month ? row.spendMonthCredits : 0,
  };
}

/**
 * This UTC month's usage alerts of the customer: its own limit's and its keys', newest first. One row
 * per (limit, threshold) per month, written by the debit that reached it.
 */
export async function listSpendAlerts(customerId: string, keyId?: string): Promise<SpendAlert[]> {
  const db = await getDb();
  const rows = await db
    .select({
      alert: spendAlerts,
      keyName: apiKeys.name,
      // Whether the limit's spend is still at or past the threshold of its limit as it is now (one
      // raised or removed since leaves the alert in the record, no longer standing).
      active: sql<boolean>`case when ${spendAlerts.keyId} is null
        then ${customers.monthlyCreditLimit} is not null and ${spentSoFar("customers")} * 100 >= ${spendAlerts.threshold} * ${customers.monthlyCreditLimit}
        else ${apiKeys.monthlyCreditLimit} is not null and ${spentSoFar("api_keys")} * 100 >= ${spendAlerts.threshold} * ${apiKeys.monthlyCreditLimit} end`,
    })
    .from(spendAlerts)
    .innerJoin(customers, eq(customers.id, spendAlerts.customerId))
    .leftJoin(apiKeys, eq(apiKeys.id, spendAlerts.keyId))
    .where(
      and(
        eq(spendAlerts.customerId, customerId),
        sql`${spendAlerts.month} = ${MONTH}`,
        keyId ? eq(spendAlerts.keyId, keyId) : undefined,
      ),
    )
    .orderBy(desc(spendAlerts.createdAt), desc(spendAlerts.threshold));
  return rows.map(({ alert, keyName, active }) => ({
    id: alert.id,
    scope: alert.scope,
    key_id: alert.keyId,
    key_name: keyName,
    month: String(alert.month).slice(0, 7),
    threshold: alert.threshold,
    monthly_credit_limit: alert.creditLimit,
    month_spent_credits: alert.spentCredits,
    active: Boolean(active),
    created_at: alert.createdAt.toISOString(),
  }));
}
