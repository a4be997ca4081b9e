import { and, eq, gte, sql } from "drizzle-orm";
import type { Tx } from "../db/client";
import { pgErrorCode, UNIQUE_VIOLATION } from "../db/pg-error";
import { customers, ledgerEntries } from "../db/schema";
import { DomainError } from "../errors";
import { newId } from "../ids";

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
};

export type LedgerRow = typeof ledgerEntries.$inferSelect;

/**
 * Takes `credits` from the customer: a guarded UPDATE … WHERE credits >= n RETURNING. Read Committed
 * re-checks the WHERE after waiting on a concurrent debit, so there is no overdraft and no SERIALIZABLE.
 * Not enough → insufficient_balance {required, available}, nothing written.
 */
export async function debit(
  tx: Tx,
  customerId: string,
  credits: number,
  ref: LedgerRef & { kind?: "job_charge" | "adjustment" },
): Promise<LedgerRow> {
  if (!Number.isInteger(credits) || credits <= 0)
    throw new Error(`debit: credits must be a positive integer, got ${credits}`);
  const [row] = await tx
    .update(customers)
    .set({ credits: sql`${customers.credits} - ${credits}`, balanceUpdatedAt: sql`now()` })
    .where(and(eq(customers.id, customerId), gte(customers.credits, credits)))
    .returning({ credits: customers.credits });
  if (!row) {
    const [current] = await tx
      .select({ credits: customers.credits })
      .from(customers)
      .where(eq(customers.id, customerId));
    if (!current) throw new DomainError("not_found");
    throw new DomainError("insufficient_balance", {
      message: `This needs ${credits} credits; the balance is ${current.credits}.`,
      details: { required: credits, available: current.credits },
    });
  }
  return insertEntry(tx, customerId, ref.kind ?? "job_charge", -credits, row.credits, ref);
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
  const [row] = await tx
    .update(customers)
    .set({ credits: sql`${customers.credits} + ${credits}`, balanceUpdatedAt: sql`now()` })
    .where(eq(customers.id, customerId))
    .returning({ credits: customers.credits });
  if (!row) throw new DomainError("not_found");
  return insertEntry(tx, customerId, kind, credits, row.credits, ref);
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
    return await tx.transaction((sp) => credit(sp, customerId, credits, "job_refund", ref));
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) return null;
    throw error;
  }
}

async function insertEntry(
  tx: Tx,
  customerId: string,
  kind: LedgerRow["kind"],
  credits: number,
  balanceAfter: number,
  ref: LedgerRef,
): Promise<LedgerRow> {
  const [entry] = await tx
    .insert(ledgerEntries)
    .values({
      id: newId("led"),
      customerId,
      kind,
      credits,
      balanceAfter,
      jobId: ref.jobId ?? null,
      jobAttempt: ref.jobAttempt ?? null,
      topUpId: ref.topUpId ?? null,
      keyId: ref.keyId ?? null,
      productId: ref.productId ?? null,
      requestId: ref.requestId ?? null,
      note: ref.note ?? null,
    })
    .returning();
  return entry!;
}
