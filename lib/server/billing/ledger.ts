import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/client";
import { NOT_NULL_VIOLATION, pgErrorCode, UNIQUE_VIOLATION } from "../db/pg-error";
import { apiKeys, customers, jobs, ledgerEntries, products } from "../db/schema";
import { DomainError } from "../errors";
import { newId } from "../ids";
import { executeNamed } from "../db/prepared";
import { afterCommit } from "../db/client";
import { EVENTS_CHANNEL } from "../webhooks/events";
import { RECHARGE_STARTED, rechargeOutbox, rechargeStarted, startRechargeSets } from "./auto-recharge-sql";
import {
  alertNotices,
  alertsCte,
  chargeMonth,
  MONTH,
  refundSpendSet,
  spendSets,
  spentSoFar,
  withinLimit,
} from "./spend-sql";

/**
 * The one module that moves money. Every movement is a ledger row written in the same transaction as
 * the balance change, so balance = Σ ledger always; the balance row's CHECK (credits >= 0) is the last
 * line of defence.
 */
export type LedgerRef = {
  jobId?: string | null;
  /** Which charge of the job (1 at creation, +1 per retry). */
  jobAttempt?: number | null;
  topUpId?: string | null;
  keyId?: string | null;
  productId?: string | null;
  requestId?: string | null;
  note?: string | null;
  /** A top_up's trigger. */
  trigger?: "manual" | "auto_recharge" | null;
};

export type LedgerRow = typeof ledgerEntries.$inferSelect;

/**
 * Takes `credits` from the customer: a guarded UPDATE … WHERE credits >= n RETURNING. Read Committed
 * re-checks the WHERE after waiting on a concurrent debit, so there is no overdraft and no SERIALIZABLE.
 * Not enough → insufficient_balance {required, available}, nothing written.
 */
export async function debit(
  tx: Pick<Db, "execute">,
  customerId: string,
  credits: number,
  ref: LedgerRef & { kind?: "job_charge" | "adjustment" },
): Promise<LedgerRow> {
  if (!Number.isInteger(credits) || credits <= 0)
    throw new Error(`debit: credits must be a positive integer, got ${credits}`);
  const kind = ref.kind ?? "job_charge";
  const entry = await moveCredits(tx, customerId, -credits, kind, ref);
  if (!entry) {
    const refusal = await debitRefusal(tx, customerId, credits, kind === "job_charge");
    if (refusal.reason === "spend_limit") throw spendLimitError(refusal);
    throw new DomainError("insufficient_balance", {
      message: `This needs ${credits} credits; the balance is ${refusal.available}.`,
      details: { required: credits, available: refusal.available },
    });
  }
  return entry;
}

/** A refused debit's reason, read after it (its statement wrote nothing and aborted nothing). */
async function debitRefusal(
  db: Pick<Db, "execute">,
  customerId: string,
  credits: number,
  spendCounted: boolean,
): Promise<
  | { reason: "insufficient_balance"; required: number; available: number }
  | Extract<ChargeRefusal, { reason: "spend_limit" }>
> {
  const result = (await db.execute(
    sql`select credits, monthly_credit_limit, ${spentSoFar("customers")} as spent from ${customers} where id = ${customerId}`,
  )) as unknown as { rows: { credits: number; monthly_credit_limit: number | null; spent: number }[] };
  const current = result.rows[0];
  if (!current) throw new DomainError("not_found");
  const limit = current.monthly_credit_limit === null ? null : Number(current.monthly_credit_limit);
  const spent = Number(current.spent);
  if (spendCounted && limit !== null && spent + credits > limit) {
    return { reason: "spend_limit", scope: "customer", keyId: null, limit, spent, required: credits };
  }
  return { reason: "insufficient_balance", required: credits, available: Number(current.credits) };
}

/** 402 insufficient_balance with details.reason = "spend_limit": which limit, and the month's spend. */
export function spendLimitError(refusal: Extract<ChargeRefusal, { reason: "spend_limit" }>): DomainError {
  const { scope, keyId, limit, spent, required } = refusal;
  const whose = scope === "key" ? "This key's" : "Your account's";
  return new DomainError("insufficient_balance", {
    message: `${whose} monthly credit limit is ${limit} credits and ${spent} are spent this month (UTC); this needs ${required} more. Raise the limit to continue.`,
    details: {
      reason: "spend_limit",
      limit: scope,
      ...(keyId && { key_id: keyId }),
      monthly_credit_limit: limit,
      month_spent_credits: spent,
      required,
      month: new Date().toISOString().slice(0, 7),
    },
  });
}

/** Adds `credits` to the customer (top-ups, adjustments, refunds). */
export async function credit(
  tx: Tx,
  customerId: string,
  credits: number,
  kind: "top_up" | "adjustment" | "job_refund",
  ref: LedgerRef,
): Promise<LedgerRow> {
  if (!Number.isInteger(credits) || credits <= 0)
    throw new Error(`credit: credits must be a positive integer, got ${credits}`);
  const entry = await moveCredits(tx, customerId, credits, kind, ref);
  if (!entry) throw new DomainError("not_found");
  return entry;
}

/**
 * Refunds one charge of a job, exactly once: the unique index on (job, attempt, kind) refuses a second
 * refund row, and the savepoint undoes its balance change. Returns the row, or null if already refunded.
 */
export async function refundJobCharge(
  tx: Tx,
  customerId: string,
  credits: number,
  ref: LedgerRef & { jobId: string; jobAttempt: number },
): Promise<LedgerRow | null> {
  try {
    return await tx.transaction(async (sp) => {
      const entry = await credit(sp, customerId, credits, "job_refund", ref);
      // The key's counter gets the charge back too (the customer's did, in credit's statement).
      if (ref.keyId) {
        await sp.execute(sql`update ${apiKeys} set ${refundSpendSet("api_keys", sql`${credits}::int`, chargeMonth(ref.jobId, ref.jobAttempt))}
          where id = ${ref.keyId}`);
      }
      return entry;
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) return null;
    throw error;
  }
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ledger row's id, made in the statement after the customer's row lock was taken: a ULID whose
 * first 10 characters are the lock time's milliseconds (as `newId`'s), the next 2 its microseconds
 * within that millisecond, the last 14 random. Ids made in JavaScript before the statement would be
 * ordered by when requests arrived, not by when they moved the balance, so under concurrent charges
 * on one customer the ledger's newest row would not carry the balance. `at` is the row's
 * `clock_timestamp()`, read once after the UPDATE.
 */
function ledgerIdAfterLock(at: SQL): SQL {
  const random = newId("led").slice(-14);
  return sql`(select 'led_' || string_agg(substr(${CROCKFORD}, ((x.v >> (5 * (11 - i))) & 31)::int + 1, 1), '' order by i) || ${random}::text
    from generate_series(0, 11) as i,
      (select ((extract(epoch from date_trunc('milliseconds', ${at})) * 1000)::bigint << 10)
        | (extract(microseconds from ${at})::bigint % 1000) as v) as x)`;
}

/**
 * balance.low: a debit that takes the balance from at or above the customer's low-balance threshold to
 * below it records the event in the debit's own statement (a CTE over `source`, which returns the
 * balance after as `balanceColumn` and the threshold as `low_threshold`); LOW_BALANCE_NOTICE, a column
 * of the statement's final select, sends its NOTIFY (delivered at commit).
 */
function lowBalanceEvent(
  customerId: string,
  source: "moved" | "charged",
  balanceColumn: string,
  spent: SQL,
): SQL {
  const balance = sql.raw(`s.${balanceColumn}`);
  return sql`low as (
      insert into events (id, customer_id, type, data)
      select ${newId("evt")}::text, ${customerId}::text, 'balance.low',
        json_build_object('credits', ${balance}, 'low_balance_credits', s.low_threshold)::jsonb
      from ${sql.raw(source)} s where ${balance} < s.low_threshold and ${balance} + ${spent} >= s.low_threshold
      returning id, customer_id, type
    )`;
}
const LOW_BALANCE_NOTICE = sql`(select pg_notify(${EVENTS_CHANNEL}, json_build_object('id', low.id, 'customer_id', low.customer_id, 'type', low.type)::text) from low) as low_notice`;

const LEDGER_COLUMNS = Object.entries(getTableColumns(ledgerEntries));

/**
 * The balance change and its ledger row in ONE statement: the customer's row lock is taken by the
 * UPDATE and held only for the rest of this statement and the commit, never across another round
 * trip (with the old UPDATE-then-INSERT, 50 debits racing on one customer waited a whole extra trip
 * each). A debit (delta < 0) is guarded: not enough credits → no row, nothing written, null.
 * An unknown customer → null too. The ledger's unique indexes (a second refund of one charge) abort
 * the whole statement, balance change included.
 */
async function moveCredits(
  tx: Pick<Db, "execute">,
  customerId: string,
  delta: number,
  kind: LedgerRow["kind"],
  ref: LedgerRef,
): Promise<LedgerRow | null> {
  const isDebit = delta < 0;
  const amount = sql`${Math.abs(delta)}::int`;
  // A debit that leaves the balance below the auto-recharge threshold starts one recharge in the same
  // statement (lib/server/billing/auto-recharge.ts): a guarded transition of the row it already locks.
  const rechargeId = isDebit ? newId("top") : null;
  // A job's charge counts against the customer's monthly credit limit (spend-sql.ts), guarded here
  // too; a refund of one gives it back to the month it was made in.
  const spend = kind === "job_charge" && isDebit;
  const refund = kind === "job_refund" && ref.jobId && ref.jobAttempt != null;
  let guard = isDebit ? sql`and customers.credits >= ${amount}` : sql``;
  if (spend) guard = sql`${guard} and ${withinLimit("customers", amount)}`;
  let sets = rechargeId ? sql`, ${startRechargeSets(amount, rechargeId)}` : sql``;
  if (spend) sets = sql`${sets}, ${spendSets("customers", amount)}`;
  if (refund)
    sets = sql`${sets}, ${refundSpendSet("customers", amount, chargeMonth(ref.jobId!, ref.jobAttempt!))}`;
  const started = rechargeId ? sql`${RECHARGE_STARTED(rechargeId)}` : sql`null::text`;
  let ctes = rechargeId ? sql`, ${rechargeOutbox(rechargeId, customerId, ref.jobId ?? null)}` : sql``;
  if (spend) ctes = sql`${ctes}, ${alertsCte("alerts", "moved", "customer")}`;
  if (isDebit) ctes = sql`${ctes}, ${lowBalanceEvent(customerId, "moved", "credits", amount)}`;
  let lowNotice = isDebit ? sql`, ${LOW_BALANCE_NOTICE}` : sql``;
  if (spend) lowNotice = sql`${lowNotice}, ${alertNotices("alerts")}`;
  const name = isDebit
    ? spend
      ? "ledger_debit_charge"
      : "ledger_debit"
    : refund
      ? "ledger_credit_refund"
      : "ledger_credit";
  const result = await executeNamed<{ entry: unknown; recharge: string | null }>(
    tx,
    name,
    sql`
    with moved as (
      update ${customers} set credits = customers.credits + ${delta}::int, balance_updated_at = now()${sets}
      where customers.id = ${customerId}::text ${guard}
      returning customers.credits, clock_timestamp() as at, ${started} as recharge_id, customers.auto_recharge_pack as recharge_pack,
        customers.low_balance_credits as low_threshold, customers.id as customer_id, null::text as key_id,
        customers.monthly_credit_limit as credit_limit, customers.spend_month_credits as spent
    ), entry as (
      insert into ${ledgerEntries} (id, customer_id, kind, credits, balance_after, job_id, job_attempt, top_up_id, key_id, product_id, request_id, note, trigger)
      select ${ledgerIdAfterLock(sql`moved.at`)}, ${customerId}::text, ${kind}::text, ${delta}::int, moved.credits,
        ${ref.jobId ?? null}::text, ${ref.jobAttempt ?? null}::int, ${ref.topUpId ?? null}::text,
        ${ref.keyId ?? null}::text, ${ref.productId ?? null}::text, ${ref.requestId ?? null}::text, ${ref.note ?? null}::text,
        ${ref.trigger ?? null}::text
      from moved
      returning *
    )${ctes}
    select row_to_json(entry) as entry, (select recharge_id from moved) as recharge${lowNotice} from entry
  `,
  );
  const row = result.rows[0];
  const json = row?.entry;
  if (!json) return null;
  if (row.recharge) afterCommit(tx as Tx, () => rechargeStarted(customerId));
  return rowFromJson<LedgerRow>(LEDGER_COLUMNS, typeof json === "string" ? JSON.parse(json) : json);
}

/** A `row_to_json(table)` object as drizzle would have returned the row. */
function rowFromJson<T>(
  columns: [string, { name: string; mapFromDriverValue: (v: unknown) => unknown }][],
  json: Record<string, unknown>,
): T {
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = json[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T;
}

type JobRow = typeof jobs.$inferSelect;

export type NewJobCharge = {
  jobId: string;
  customerId: string;
  /** The key the job is created under (it takes one of the key's queue slots), null for a session. */
  keyId: string | null;
  productId: string;
  prompt: string;
  inputs: unknown;
  requestId: string | null;
  createdAt: Date;
  /** MAX_UNFINISHED_JOBS_PER_KEY. */
  queueLimit: number;
};

/** Why a charge wrote nothing, for the caller to turn into its error (it knows the product's name). */
export type ChargeRefusal =
  | { reason: "no_product" }
  | { reason: "product_paused" }
  | { reason: "insufficient_balance"; required: number; available: number }
  | {
      reason: "spend_limit";
      scope: "customer" | "key";
      keyId: string | null;
      limit: number;
      spent: number;
      required: number;
    }
  | { reason: "queue_full"; unfinished: number; limit: number };

const JOB_COLUMNS = Object.entries(getTableColumns(jobs));

/**
 * A new job's whole write in ONE statement (one round trip, no transaction needed): the product's
 * current price (it must still be active), the guarded debit of it, the key's queue slot (a guarded
 * counter), the job_charge ledger row and the job row. The customer's row lock is held only while
 * Postgres runs it, never across round trips, so creates on one customer queue for microseconds.
 *
 * Locks in the order every other path takes them: the customer's balance row, then the key's row.
 * Nothing is written unless all of it is: the debit is guarded (not enough → no row, nothing else
 * runs), and when the debit succeeded but the queue slot was refused the job row's cost is NULL,
 * which its NOT NULL constraint refuses — aborting the statement, debit and ledger row included.
 * Read Committed re-checks both guards after waiting on a concurrent writer, so N parallel charges
 * never overdraw and never take more than `queueLimit` slots.
 *
 * Returns the job row, or why nothing was written. Inside a transaction, a queue_full refusal has
 * aborted it: run this in a savepoint there (runIdempotent's work is one).
 */
export async function chargeNewJob(
  db: Pick<Db, "execute">,
  charge: NewJobCharge,
): Promise<{ job: JobRow } | ChargeRefusal> {
  const { jobId, customerId, keyId, productId, requestId } = charge;
  const rechargeId = newId("top");
  let result: { rows: Record<string, unknown>[] };
  try {
    result = await executeNamed(
      db,
      "charge_new_job",
      sql`
      with product as (
        select price_credits from ${products} where id = ${productId} and status = 'active'
      ), charged as (
        update ${customers} set credits = customers.credits - product.price_credits, balance_updated_at = now(),
          ${startRechargeSets(sql`product.price_credits`, rechargeId)},
          ${spendSets("customers", sql`product.price_credits`)}
        from product
        where customers.id = ${customerId} and customers.credits >= product.price_credits
          and ${withinLimit("customers", sql`product.price_credits`)}
        returning customers.credits as balance_after, product.price_credits as price, clock_timestamp() as at,
          ${RECHARGE_STARTED(rechargeId)} as recharge_id, customers.auto_recharge_pack as recharge_pack,
          customers.id as customer_id, null::text as key_id, customers.monthly_credit_limit as credit_limit,
          customers.spend_month_credits as spent,
          customers.low_balance_credits as low_threshold
      ), ${rechargeOutbox(rechargeId, customerId, jobId, "charged")},
      ${lowBalanceEvent(customerId, "charged", "balance_after", sql`s.price`)},
      ${alertsCte("customer_alerts", "charged", "customer")},
      key_before as (
        -- The key's row as it is now, locked (after the customer's: the order every path takes them):
        -- FOR UPDATE waits for a concurrent charge and returns the newest version, so the queue slot and
        -- the key's monthly limit are judged on the same values the UPDATE below then writes.
        select api_keys.id, api_keys.unfinished_jobs, ${spentSoFar("api_keys")} as spent, api_keys.monthly_credit_limit as credit_limit
        from ${apiKeys} where api_keys.id = ${keyId} and exists (select 1 from charged)
        for update
      ), slot as (
        update ${apiKeys} set unfinished_jobs = api_keys.unfinished_jobs + 1,
          spend_month = ${MONTH}, spend_month_credits = k.spent + c.price
        from key_before k, charged c
        where api_keys.id = k.id and k.unfinished_jobs < ${charge.queueLimit}
          and (k.credit_limit is null or k.spent + c.price <= k.credit_limit)
        returning api_keys.id, api_keys.customer_id, api_keys.id as key_id, api_keys.monthly_credit_limit as credit_limit,
          api_keys.spend_month_credits as spent
      ), ${alertsCte("key_alerts", "slot", "key")}, ledger as (
        insert into ${ledgerEntries} (id, customer_id, kind, credits, balance_after, job_id, job_attempt, key_id, product_id, request_id)
        select ${ledgerIdAfterLock(sql`at`)}, ${customerId}, 'job_charge', -price, balance_after, ${jobId}, 1, ${keyId}, ${productId}, ${requestId}
        from charged
        returning id
      ), job as (
        insert into ${jobs} (id, customer_id, key_id, product_id, prompt, inputs, cost_credits, request_id, created_at)
        select ${jobId}, ${customerId}, ${keyId}, ${productId}, ${charge.prompt}, ${JSON.stringify(charge.inputs)}::jsonb,
          case when ${keyId}::text is null or exists (select 1 from slot) then price
            else (select spend_limit_refused(k.credit_limit, k.spent, price) from key_before k
              where k.credit_limit is not null and k.spent + price > k.credit_limit) end,
          ${requestId}, ${charge.createdAt.toISOString()}::timestamptz
        from charged
        returning *
      )
      select
        (select row_to_json(job) from job) as job,
        (select recharge_id from charged) as recharge,
        (select status from ${products} where id = ${productId}) as product_status,
        (select price_credits from ${products} where id = ${productId}) as price,
        ${LOW_BALANCE_NOTICE},
        ${alertNotices("customer_alerts", "key_alerts")}
    `,
    );
  } catch (error) {
    // The queue slot was refused after the debit: the job row's NULL cost aborted everything. The key
    // holds `queueLimit` unfinished jobs (the guarded counter never passes it); nothing is read here,
    // as inside a transaction the failed statement has aborted it.
    if (keyId && pgErrorCode(error) === NOT_NULL_VIOLATION) {
      return { reason: "queue_full", unfinished: charge.queueLimit, limit: charge.queueLimit };
    }
    // The key's monthly credit limit refused it (spend_limit_refused, migration 0009): the figures are
    // the locked row's, in the error's detail.
    const refused = keyId ? spendLimitDetail(error) : null;
    if (refused) return { reason: "spend_limit", scope: "key", keyId, ...refused };
    throw error;
  }
  const row = result.rows[0]!;
  if (row.job) {
    if (row.recharge) afterCommit(db as Tx, () => rechargeStarted(customerId));
    const json = typeof row.job === "string" ? JSON.parse(row.job) : row.job;
    return { job: rowFromJson<JobRow>(JOB_COLUMNS, json as Record<string, unknown>) };
  }
  if (row.product_status === null || row.product_status === undefined) return { reason: "no_product" };
  if (row.product_status !== "active") return { reason: "product_paused" };
  // Read now, not from the statement's snapshot: the debit may have waited on one that spent it.
  return debitRefusal(db, customerId, Number(row.price), true);
}

const SPEND_LIMIT_SQLSTATE = "GM402";

/** The figures of a spend_limit_refused() abort, or null for any other error. */
function spendLimitDetail(error: unknown): { limit: number; spent: number; required: number } | null {
  if (pgErrorCode(error) !== SPEND_LIMIT_SQLSTATE) return null;
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const detail = (e as { detail?: unknown }).detail;
    if (typeof detail === "string") {
      const parsed = JSON.parse(detail) as { limit: number; spent: number; required: number };
      return { limit: Number(parsed.limit), spent: Number(parsed.spent), required: Number(parsed.required) };
    }
    e = (e as { cause?: unknown }).cause;
  }
  throw new Error("spend_limit_refused: no detail on the error", { cause: error });
}
