import { randomUUID } from "node:crypto";
import { and, asc, eq, lt, lte, sql, type SQL } from "drizzle-orm";
import { refundJobCharge } from "../billing/ledger";
import { getDb, type Tx } from "../db/client";
import { jobs } from "../db/schema";
import type { JobRow, StoredError, StoredOutput } from "./dto";
import { releaseQueueSlot } from "./queue-cap";
import { recordJobEvent } from "../webhooks/events";

/**
 * The Postgres job queue. A worker claims a job with FOR UPDATE SKIP LOCKED and holds it by a lease
 * (`lease_token`, `leased_until`) that its heartbeat extends. Every transition out of `running` is an
 * UPDATE guarded by `id`, `lease_token` and `status = 'running'`: a worker that lost its lease (the
 * reaper gave the job to another) matches nothing, so it can neither finish nor refund a job twice.
 */

const leaseEnd = (leaseMs: number) => sql`now() + ${Math.round(leaseMs)}::integer * interval '1 millisecond'`;
const guard = (id: string, token: string): SQL =>
  and(eq(jobs.id, id), eq(jobs.leaseToken, token), eq(jobs.status, "running"))!;

/** Takes the oldest runnable job, or null. Counts the attempt. */
export async function claimNextJob(leaseMs: number): Promise<JobRow | null> {
  const db = await getDb();
  const next = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.status, "queued"), lte(jobs.runAfter, sql`now()`)))
    .orderBy(asc(jobs.runAfter))
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await db
    .update(jobs)
    .set({
      status: "running",
      leaseToken: randomUUID(),
      leasedUntil: leaseEnd(leaseMs),
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      updatedAt: sql`now()`,
    })
    // A scalar subquery is an InitPlan, run exactly once; `IN (…)` may be re-run as a join and claim more than one.
    .where(and(eq(jobs.id, sql`(${next})`), eq(jobs.status, "queued")))
    .returning();
  return row ?? null;
}

/** Extends the lease; false when it is no longer ours (stop working on the job). */
export async function heartbeat(id: string, token: string, leaseMs: number): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(jobs)
    .set({ leasedUntil: leaseEnd(leaseMs) })
    .where(guard(id, token))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** running → succeeded with the output; gives back the key's queue slot. Null if the lease was lost. */
export async function completeJob(id: string, token: string, output: StoredOutput): Promise<JobRow | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(jobs)
      .set({
        status: "succeeded",
        output,
        error: null,
        leaseToken: null,
        leasedUntil: null,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(guard(id, token))
      .returning();
    if (!row) return null;
    await releaseQueueSlot(tx, row.keyId);
    await recordJobEvent(tx, row);
    return row;
  });
}

export type FailOutcome = "requeued" | "failed" | "lost";

/**
 * An attempt failed: queued again after `retryDelayMs` while attempts remain, else failed for good
 * (generation_failed, refunded once, queue slot given back). "lost" when the lease was no longer ours.
 */
export async function failAttempt(
  id: string,
  token: string,
  message: string,
  retryDelayMs: number,
): Promise<FailOutcome> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const requeued = await tx
      .update(jobs)
      .set({
        status: "queued",
        leaseToken: null,
        leasedUntil: null,
        runAfter: sql`now() + ${Math.round(retryDelayMs)}::integer * interval '1 millisecond'`,
        updatedAt: sql`now()`,
      })
      .where(and(guard(id, token), lt(jobs.attempts, jobs.maxAttempts)))
      .returning({ id: jobs.id });
    if (requeued.length) return "requeued";
    return (await failJob(tx, id, token, message)) ? "failed" : "lost";
  });
}

/**
 * The terminal failure, in the caller's transaction: running → failed with generation_failed, the
 * current charge refunded (exactly once: this guarded UPDATE matches once, and the ledger's unique
 * index refuses a second refund row), the key's queue slot given back. Null if the guard matched nothing.
 */
export async function failJob(
  tx: Tx,
  id: string,
  token: string,
  message: string,
  extraGuard?: SQL,
): Promise<JobRow | null> {
  const error: StoredError = { code: "generation_failed", message };
  const [row] = await tx
    .update(jobs)
    .set({
      status: "failed",
      error,
      refunded: true,
      leaseToken: null,
      leasedUntil: null,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(guard(id, token), extraGuard))
    .returning();
  if (!row) return null;
  await refundJobCharge(tx, row.customerId, row.costCredits, {
    jobId: row.id,
    jobAttempt: row.charge,
    keyId: row.keyId,
    productId: row.productId,
    note: "Automatic refund: generation failed",
  });
  await releaseQueueSlot(tx, row.keyId);
  await recordJobEvent(tx, row);
  return row;
}

/** Hands a job back untouched (worker shutting down): queued again, this attempt not counted. */
export async function releaseJob(id: string, token: string): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(jobs)
    .set({
      status: "queued",
      leaseToken: null,
      leasedUntil: null,
      attempts: sql`greatest(${jobs.attempts} - 1, 0)`,
      runAfter: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(guard(id, token))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export const ABANDONED_MESSAGE = "The worker running this job stopped responding on its last attempt.";

/**
 * The reaper: running jobs whose lease expired (their worker died or hung) are queued again — the
 * claim already counted the attempt — or, with no attempts left, failed and refunded.
 */
export async function reapExpiredLeases(limit = 50): Promise<{ requeued: number; failed: number }> {
  const db = await getDb();
  const expired = await db
    .select({ id: jobs.id, token: jobs.leaseToken, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
    .from(jobs)
    .where(and(eq(jobs.status, "running"), lt(jobs.leasedUntil, sql`now()`)))
    .orderBy(asc(jobs.leasedUntil))
    .limit(limit);
  const counts = { requeued: 0, failed: 0 };
  for (const job of expired) {
    if (!job.token) continue;
    const stillExpired = lt(jobs.leasedUntil, sql`now()`);
    await db.transaction(async (tx) => {
      if (job.attempts < job.maxAttempts) {
        const rows = await tx
          .update(jobs)
          .set({
            status: "queued",
            leaseToken: null,
            leasedUntil: null,
            runAfter: sql`now()`,
            updatedAt: sql`now()`,
          })
          .where(and(guard(job.id, job.token!), stillExpired))
          .returning({ id: jobs.id });
        counts.requeued += rows.length;
      } else if (await failJob(tx, job.id, job.token!, ABANDONED_MESSAGE, stillExpired)) {
        counts.failed += 1;
      }
    });
  }
  return counts;
}
