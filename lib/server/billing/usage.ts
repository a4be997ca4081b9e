import { sql } from "drizzle-orm";
import type { Usage } from "@/lib/api/contract/billing.schema";
import { getDb } from "../db/client";

type Row = { day: string; product_id: string; key_id: string | null; credits: number | string };
type Named = { id: string; name: string };

const DAY_MS = 86_400_000;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Credits spent per UTC day, per product and per key, for the last `days` days (today included), from
 * the ledger alone: each job_charge minus the job_refund of the same charge (job, attempt). The refund
 * counts on the charge's day, so a job that failed nets to zero where it was bought.
 */
export async function getUsage(customerId: string, days: number, now = new Date()): Promise<Usage> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const fromMs = today - (days - 1) * DAY_MS;
  const db = await getDb();
  const result = await db.execute<Row>(sql`
    select to_char((c.created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
           coalesce(c.product_id, j.product_id, 'unknown') as product_id,
           coalesce(c.key_id, j.key_id) as key_id,
           sum(-c.credits - coalesce(r.credits, 0))::int as credits
      from ledger_entries c
      left join ledger_entries r
             on r.customer_id = c.customer_id
            and r.kind = 'job_refund'
            and r.job_id = c.job_id
            and r.job_attempt is not distinct from c.job_attempt
      left join jobs j on j.id = c.job_id
     where c.customer_id = ${customerId}
       and c.kind = 'job_charge'
       and c.created_at >= ${new Date(fromMs).toISOString()}::timestamptz
     group by 1, 2, 3`);
  const rows = result.rows.map((r) => ({ ...r, credits: Number(r.credits) })).filter((r) => r.credits !== 0);

  const productIds = [...new Set(rows.map((r) => r.product_id))];
  const keyIds = [...new Set(rows.map((r) => r.key_id).filter((k): k is string => k !== null))];
  const [productNames, keyNames] = await Promise.all([
    names(sql`select id, name from products where id in ${inList(productIds)}`, productIds.length),
    names(
      sql`select id, name from api_keys where customer_id = ${customerId} and id in ${inList(keyIds)}`,
      keyIds.length,
    ),
  ]);

  const byDay = new Map<string, Row[]>();
  for (const r of rows) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  const sum = (list: Row[]) => list.reduce((s, r) => s + Number(r.credits), 0);
  const totals = <K extends string | null>(list: Row[], key: (r: Row) => K) => {
    const m = new Map<K, number>();
    for (const r of list) m.set(key(r), (m.get(key(r)) ?? 0) + Number(r.credits));
    return [...m].sort((a, b) => b[1] - a[1]);
  };

  const daily = Array.from({ length: days }, (_, i) => {
    const date = isoDay(fromMs + i * DAY_MS);
    const list = byDay.get(date) ?? [];
    return {
      date,
      credits: sum(list),
      by_product: totals(list, (r) => r.product_id).map(([product, credits]) => ({ product, credits })),
      by_key: totals(list, (r) => r.key_id).map(([key_id, credits]) => ({ key_id, credits })),
    };
  });

  return {
    days,
    from: isoDay(fromMs),
    to: isoDay(today),
    total_credits: sum(rows),
    products: totals(rows, (r) => r.product_id).map(([id, credits]) => ({
      id,
      name: productNames.get(id) ?? id,
      credits,
    })),
    keys: totals(rows, (r) => r.key_id).map(([id, credits]) => ({
      id,
      name: id ? (keyNames.get(id) ?? null) : null,
      credits,
    })),
    daily,
  };

  async function names(query: ReturnType<typeof sql>, count: number): Promise<Map<string, string>> {
    if (!count) return new Map();
    const res = await db.execute<Named>(query);
    return new Map(res.rows.map((r) => [r.id, r.name]));
  }
}

function inList(values: string[]) {
  return sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}
