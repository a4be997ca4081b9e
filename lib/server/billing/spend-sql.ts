import { type SQL, sql } from "drizzle-orm";
import { SPEND_ALERT_THRESHOLDS } from "@/lib/api/contract/constants";
import { spendAlerts } from "../db/schema";
import { newId } from "../ids";
import { EVENTS_CHANNEL } from "../webhooks/events";

/**
 * Spend controls in SQL: a monthly credit limit per customer (on `customers`) and per key (on
 * `api_keys`), each with a guarded counter of this UTC month's job charges (`spend_month_credits`,
 * counted for `spend_month`; a row last counted in an earlier month counts from 0). A job charge moves
 * the counter in the same UPDATE that debits the balance (or takes the key's queue slot), and only if
 * it stays within the limit: Read Committed re-checks the WHERE on the newest row after waiting on a
 * concurrent charge, so N racing charges never pass a limit. A refund gives its charge back to the
 * month it was made in.
 */

/** The current UTC calendar month as a date (its first day). */
export const MONTH = sql`(date_trunc('month', now() at time zone 'utc'))::date`;

/** `table`'s spend this month, before the statement's change. */
export function spentSoFar(table: "customers" | "api_keys"): SQL {
  const t = sql.raw(table);
  return sql`(case when ${t}.spend_month = ${MONTH} then ${t}.spend_month_credits else 0 end)`;
}

/** WHERE condition: a charge of `amount` stays within `table`'s limit (or it has none). */
export function withinLimit(table: "customers" | "api_keys", amount: SQL): SQL {
  const t = sql.raw(table);
  return sql`(${t}.monthly_credit_limit is null or ${spentSoFar(table)} + ${amount} <= ${t}.monthly_credit_limit)`;
}

/** SET items counting a charge of `amount` on `table`'s row. */
export function spendSets(table: "customers" | "api_keys", amount: SQL): SQL {
  return sql`spend_month = ${MONTH}, spend_month_credits = ${spentSoFar(table)} + ${amount}`;
}

/**
 * SET item giving back a refunded charge of `amount` made in `chargeMonth` (an SQL date): only to
 * that month's counter, never below 0.
 */
export function refundSpendSet(table: "customers" | "api_keys", amount: SQL, chargeMonth: SQL): SQL {
  const t = sql.raw(table);
  return sql`spend_month_credits = case when ${t}.spend_month = ${chargeMonth}
    then greatest(0, ${t}.spend_month_credits - ${amount}) else ${t}.spend_month_credits end`;
}

/** The UTC month (an SQL date) a job's charge was made in, from its ledger row. */
export function chargeMonth(jobId: string, jobAttempt: number): SQL {
  return sql`(select (date_trunc('month', l.created_at at time zone 'utc'))::date from ledger_entries l
    where l.job_id = ${jobId}::text and l.job_attempt = ${jobAttempt}::int and l.kind = 'job_charge')`;
}

const THRESHOLDS = sql.raw(`(values ${SPEND_ALERT_THRESHOLDS.map((t) => `(${t})`).join(", ")})`);

/**
 * CTEs inserting the usage alerts a charge reached: from `source` (a CTE returning `customer_id`,
 * `key_id` (null for the customer's own limit), `credit_limit` and `spent`, the month's spend after the
 * charge), one row per threshold at or under the spend; the unique index keeps the first of each month.
 * Each alert written is also a `spend.alert` event in the outbox (`<name>_events`, same statement, so
 * same transaction); the statement's final select must carry `alertNotices(...)` to announce them.
 */
export function alertsCte(name: string, source: string, scope: "customer" | "key"): SQL {
  const byThreshold = (prefix: "sal" | "evt") =>
    sql.join(
      SPEND_ALERT_THRESHOLDS.map((t) => sql`when ${sql.raw(String(t))} then ${newId(prefix)}::text`),
      sql` `,
    );
  return sql`${sql.raw(name)} as (
    insert into ${spendAlerts} (id, customer_id, scope, key_id, month, threshold, credit_limit, spent_credits)
    select case t.threshold ${byThreshold("sal")} end, s.customer_id, ${scope}::text, s.key_id, ${MONTH}, t.threshold, s.credit_limit, s.spent
    from ${sql.raw(source)} s, ${THRESHOLDS} as t(threshold)
    where s.credit_limit is not null and s.spent * 100 >= t.threshold * s.credit_limit
    on conflict do nothing
    returning *
  ), ${sql.raw(name)}_events as (
    insert into events (id, customer_id, type, data)
    select case a.threshold ${byThreshold("evt")} end, a.customer_id, 'spend.alert',
      json_build_object('id', a.id, 'scope', a.scope, 'key_id', a.key_id,
        'key_name', (select k.name from api_keys k where k.id = a.key_id),
        'month', to_char(a.month, 'YYYY-MM'), 'threshold', a.threshold,
        'monthly_credit_limit', a.credit_limit, 'month_spent_credits', a.spent_credits)::jsonb
    from ${sql.raw(name)} a
    returning id, customer_id, type
  )`;
}

/**
 * A column for the statement's final select: the NOTIFY of each `spend.alert` event the `alertsCte`s
 * named `names` wrote (delivered at commit, as recordEvent's).
 */
export function alertNotices(...names: string[]): SQL {
  const rows = sql.raw(names.map((n) => `select id, customer_id, type from ${n}_events`).join(" union all "));
  return sql`(select count(pg_notify(${EVENTS_CHANNEL}, json_build_object('id', e.id, 'customer_id', e.customer_id, 'type', e.type)::text))
    from (${rows}) e) as alert_notices`;
}
