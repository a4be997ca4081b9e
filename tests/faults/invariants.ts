/**
 * The money and job invariants, checked in SQL over the whole (fresh, run-only) database. Each query
 * returns the rows that break its rule, so an empty result is a pass.
 */
import type { Pool } from "pg";

const CHECKS: { name: string; sql: string }[] = [
  {
    name: "balance = Σ ledger, per customer",
    sql: `select c.id, c.credits, coalesce(sum(l.credits), 0)::int as ledger_sum
            from customers c left join ledger_entries l on l.customer_id = c.id
           group by c.id having c.credits <> coalesce(sum(l.credits), 0)`,
  },
  {
    name: "balance ≥ 0",
    sql: `select id, credits from customers where credits < 0`,
  },
  {
    name: "no job without its debit (one job_charge of −cost per charge 1..charge)",
    sql: `select j.id, j.charge, count(l.id)::int as charges, coalesce(sum(l.credits), 0)::int as charged
            from jobs j left join ledger_entries l on l.job_id = j.id and l.kind = 'job_charge'
           group by j.id
          having count(l.id) <> j.charge or count(distinct l.job_attempt) <> j.charge
              or coalesce(min(l.job_attempt), 0) <> 1 or coalesce(max(l.job_attempt), 0) <> j.charge
              or coalesce(sum(l.credits), 0) <> -j.cost_credits * j.charge`,
  },
  {
    name: "no debit or refund without its job (same customer)",
    sql: `select l.id, l.kind, l.job_id from ledger_entries l left join jobs j on j.id = l.job_id
           where l.kind in ('job_charge', 'job_refund')
             and (l.job_id is null or l.job_attempt is null or j.id is null or j.customer_id <> l.customer_id)`,
  },
  {
    name: "no double refund (one job_refund per job charge)",
    sql: `select job_id, job_attempt, count(*)::int as refunds from ledger_entries
           where kind = 'job_refund' group by job_id, job_attempt having count(*) > 1`,
  },
  {
    name: "every refund undoes exactly one charge",
    sql: `select r.id, r.job_id, r.job_attempt from ledger_entries r
           where r.kind = 'job_refund' and not exists (
             select 1 from ledger_entries c where c.kind = 'job_charge' and c.job_id = r.job_id
                and c.job_attempt = r.job_attempt and c.credits = -r.credits)`,
  },
  {
    name: "refund state matches job status (failed/canceled refunded once, earlier charges refunded)",
    sql: `select j.id, j.status, j.refunded, j.charge,
                 (select count(*) from ledger_entries r where r.kind = 'job_refund' and r.job_id = j.id
                     and r.job_attempt = j.charge)::int as current_refunds,
                 (select count(*) from ledger_entries r where r.kind = 'job_refund' and r.job_id = j.id
                     and r.job_attempt < j.charge)::int as earlier_refunds
            from jobs j
           where j.refunded <> (j.status in ('failed', 'canceled'))
              or (select count(*) from ledger_entries r where r.kind = 'job_refund' and r.job_id = j.id
                     and r.job_attempt = j.charge) <> (case when j.status in ('failed', 'canceled') then 1 else 0 end)
              or (select count(*) from ledger_entries r where r.kind = 'job_refund' and r.job_id = j.id
                     and r.job_attempt < j.charge) <> j.charge - 1`,
  },
  {
    name: "job rows consistent with their status",
    sql: `select id, status, attempts, max_attempts from jobs
           where (status = 'succeeded' and (output is null or finished_at is null or lease_token is not null))
              or (status = 'failed' and (error is null or finished_at is null or lease_token is not null))
              or (status = 'running' and (lease_token is null or leased_until is null))
              or (status = 'queued' and lease_token is not null)
              or attempts > max_attempts`,
  },
  {
    name: "per-key unfinished counter = queued + running jobs under the key",
    sql: `select k.id, k.unfinished_jobs,
                 (select count(*) from jobs j where j.key_id = k.id and j.status in ('queued', 'running'))::int as actual
            from api_keys k
           where k.unfinished_jobs <> (select count(*) from jobs j where j.key_id = k.id and j.status in ('queued', 'running'))`,
  },
  {
    name: "each succeeded top-up credited exactly once, no credit without its top-up",
    sql: `select t.id, t.status, count(l.id)::int as credits_rows from top_ups t
            left join ledger_entries l on l.top_up_id = t.id and l.kind = 'top_up'
           group by t.id
          having count(l.id) <> (case when t.status = 'succeeded' then 1 else 0 end)
              or coalesce(sum(l.credits), 0) <> (case when t.status = 'succeeded' then t.credits else 0 end)
          union all
          select l.id, 'orphan', 1 from ledger_entries l left join top_ups t on t.id = l.top_up_id
           where l.kind = 'top_up' and t.id is null`,
  },
  {
    name: "no Idempotency-Key claim left without its response",
    sql: `select customer_id, key from idempotency_keys where response_status is null`,
  },
];

export type InvariantReport = { name: string; ok: boolean; violations: number; sample: unknown[] }[];

export async function checkInvariants(pool: Pool): Promise<InvariantReport> {
  const out: InvariantReport = [];
  for (const check of CHECKS) {
    const { rows } = await pool.query(check.sql);
    out.push({ name: check.name, ok: rows.length === 0, violations: rows.length, sample: rows.slice(0, 5) });
  }
  return out;
}

/** Row counts, for "nothing happened during the outage". */
export async function counts(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ what: string; n: number }>(
    `select 'jobs' as what, count(*)::int as n from jobs
     union all select 'ledger:' || kind, count(*)::int from ledger_entries group by kind
     union all select 'top_ups', count(*)::int from top_ups`,
  );
  return Object.fromEntries(rows.map((r) => [r.what, r.n]));
}

/** Jobs and ledger rows that requests with these ids created. */
export async function writesBy(pool: Pool, requestIds: string[]): Promise<{ jobs: number; ledger: number }> {
  if (!requestIds.length) return { jobs: 0, ledger: 0 };
  const { rows } = await pool.query<{ jobs: number; ledger: number }>(
    `select (select count(*) from jobs where request_id = any($1))::int as jobs,
            (select count(*) from ledger_entries where request_id = any($1))::int as ledger`,
    [requestIds],
  );
  return rows[0]!;
}

export async function unfinishedJobs(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from jobs where status in ('queued', 'running')`,
  );
  return rows[0]!.n;
}
