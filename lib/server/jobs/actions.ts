import { and, eq, sql } from "drizzle-orm";
import { CANCELABLE_FROM, type JobInputs, RETRYABLE_FROM } from "@/lib/api/contract/jobs.schema";
import { debit, refundJobCharge } from "../billing/ledger";
import { chargeKeySpend } from "../billing/spend";
import type { Tx } from "../db/client";
import { jobs, products } from "../db/schema";
import { DomainError } from "../errors";
import type { JobActor } from "./create";
import type { JobRow } from "./dto";
import { jobNotFound } from "./list";
import { assertBackendAvailable, assertProductActive } from "./product-checks";
import { releaseQueueSlot, takeQueueSlot } from "./queue-cap";
import { recordJobEvent } from "../webhooks/events";

/**
 * Cancel: only from queued (a guarded UPDATE; zero rows is invalid_state), refunding the current
 * charge and giving back the key's queue slot in the same transaction.
 */
export async function cancelJob(tx: Tx, actor: JobActor, id: string): Promise<JobRow> {
  const [row] = await tx
    .update(jobs)
    .set({ status: "canceled", refunded: true, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.customerId, actor.customerId), eq(jobs.status, "queued")))
    .returning();
  if (!row) throw await refusal(tx, actor, id, CANCELABLE_FROM);
  await refundJobCharge(tx, row.customerId, row.costCredits, {
    jobId: row.id,
    jobAttempt: row.charge,
    keyId: row.keyId,
    productId: row.productId,
    requestId: actor.requestId,
  });
  await releaseQueueSlot(tx, row.keyId);
  await recordJobEvent(tx, row);
  return row;
}

/**
 * Retry: only from failed. The job is queued again as a new charge (charge + 1, its own ledger rows),
 * debited at the job's price, and takes a queue slot under its key again.
 */
export async function retryJob(tx: Tx, actor: JobActor, id: string, queueLimit: number): Promise<JobRow> {
  const [row] = await tx
    .update(jobs)
    .set({
      status: "queued",
      charge: sql`${jobs.charge} + 1`,
      attempts: 0,
      refunded: false,
      output: null,
      error: null,
      leaseToken: null,
      leasedUntil: null,
      startedAt: null,
      finishedAt: null,
      runAfter: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, id), eq(jobs.customerId, actor.customerId), eq(jobs.status, "failed")))
    .returning();
  if (!row) throw await refusal(tx, actor, id, RETRYABLE_FROM);
  const [product] = await tx.select().from(products).where(eq(products.id, row.productId));
  if (product) {
    assertProductActive(product);
    assertBackendAvailable(product, row.prompt, (row.inputs as JobInputs).params ?? {});
  }
  await debit(tx, row.customerId, row.costCredits, {
    jobId: row.id,
    jobAttempt: row.charge,
    keyId: row.keyId,
    productId: row.productId,
    requestId: actor.requestId,
  });
  if (row.keyId) {
    // The key's monthly credit limit, after the customer's (the debit locked the customer's row first).
    await chargeKeySpend(tx, row.keyId, row.costCredits);
    await takeQueueSlot(tx, row.keyId, queueLimit);
  }
  return row;
}

/** Why a guarded transition matched nothing: no such job (404), or the wrong status (409). */
async function refusal(
  tx: Tx,
  actor: JobActor,
  id: string,
  allowedFrom: readonly string[],
): Promise<DomainError> {
  const [current] = await tx
    .select({ status: jobs.status })
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.customerId, actor.customerId)));
  if (!current) return jobNotFound(id);
  return new DomainError("invalid_state", {
    message: `The job is ${current.status}; this action needs it ${allowedFrom.join(" or ")}.`,
    details: { status: current.status, allowed_from: [...allowedFrom] },
  });
}
