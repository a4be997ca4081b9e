import { type SQL, sql } from "drizzle-orm";
import { topUps } from "../db/schema";
import { paymentProvider } from "./stripe";

/**
 * The SQL by which a debit starts an auto-recharge (see auto-recharge.ts), and the signal that one
 * started — apart from auto-recharge.ts, which settles recharges through the ledger, so that the
 * ledger can use these without a cycle.
 */

/** The current UTC calendar month as a date (its first day). */
const MONTH = sql`(date_trunc('month', now() at time zone 'utc'))::date`;
const PACK_PRICE = sql`(select p.price_cents from top_up_packs p where p.id = split_part(customers.auto_recharge_pack, '!', 1) and p.active)`;
const MONTH_SO_FAR = sql`(case when customers.auto_recharge_month = ${MONTH} then customers.auto_recharge_month_cents else 0 end)`;

/** Whether a debit of `amount` (an SQL int) on the customers row being updated starts a recharge. */
function due(amount: SQL): SQL {
  return sql`(customers.auto_recharge_enabled and customers.auto_recharge_top_up_id is null
    and customers.credits - ${amount} < customers.auto_recharge_threshold
    and ${MONTH_SO_FAR} + ${PACK_PRICE} <= customers.auto_recharge_cap_cents)`;
}

/**
 * SET items for a debit's UPDATE of `customers`: the guarded start of a recharge whose top-up id is
 * `topUpId`. SET expressions read the row as it was before this UPDATE, so the three agree.
 */
export function startRechargeSets(amount: SQL, topUpId: string): SQL {
  const when = due(amount);
  return sql`auto_recharge_top_up_id = case when ${when} then ${topUpId}::text else customers.auto_recharge_top_up_id end,
    auto_recharge_month_cents = case when ${when} then ${MONTH_SO_FAR} + ${PACK_PRICE} else customers.auto_recharge_month_cents end,
    auto_recharge_month = case when ${when} then ${MONTH} else customers.auto_recharge_month end`;
}

/** A RETURNING expression: `topUpId` if this UPDATE started the recharge, else NULL. */
export function RECHARGE_STARTED(topUpId: string): SQL {
  return sql`case when customers.auto_recharge_top_up_id = ${topUpId}::text then ${topUpId}::text end`;
}

/**
 * A CTE inserting the started recharge's pending top-up (the outbox row), from `source` — the CTE
 * of the debit's UPDATE, returning `recharge_id` and `recharge_pack`.
 */
export function rechargeOutbox(
  topUpId: string,
  customerId: string,
  jobId: string | null,
  source: "moved" | "charged" = "moved",
): SQL {
  return sql`recharge as (
    insert into ${topUps} (id, customer_id, pack_id, credits, price_cents, currency, status, provider, trigger, job_id)
    select ${topUpId}::text, ${customerId}::text, p.id, p.credits, p.price_cents, p.currency, 'pending', ${paymentProvider()}::text, 'auto_recharge', ${jobId}::text
    from ${sql.raw(source)} s join top_up_packs p on p.id = split_part(s.recharge_pack, '!', 1)
    where s.recharge_id is not null
    returning id
  )`;
}

type Listener = (customerId: string) => void;
const KEY = Symbol.for("genmedia.auto-recharge.listener");
const g = globalThis as typeof globalThis & { [KEY]?: Listener };

/** Who settles a recharge once the debit that started it has committed (auto-recharge.ts, at load). */
export function onRechargeStarted(listener: Listener): void {
  g[KEY] = listener;
}

/**
 * A committed debit started the customer's recharge. With no listener in this process, the worker's
 * sweep settles it.
 */
export function rechargeStarted(customerId: string): void {
  g[KEY]?.(customerId);
}
