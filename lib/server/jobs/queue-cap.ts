import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { Tx } from "../db/client";
import { apiKeys } from "../db/schema";
import { DomainError } from "../errors";

/**
 * The per-key cap on queued+running jobs: a guarded counter on the key row, never count-then-insert.
 * Read Committed re-checks the WHERE after waiting on a concurrent increment, so N parallel creates
 * against a cap of C take exactly C slots. Taken in the creating transaction; given back in the same
 * transaction as the job's terminal transition (or cancel), which happens exactly once.
 */
export async function takeQueueSlot(tx: Tx, keyId: string, limit: number): Promise<void> {
  const [row] = await tx
    .update(apiKeys)
    .set({ unfinishedJobs: sql`${apiKeys.unfinishedJobs} + 1` })
    .where(and(eq(apiKeys.id, keyId), lt(apiKeys.unfinishedJobs, limit)))
    .returning({ unfinished: apiKeys.unfinishedJobs });
  if (row) return;
  const [current] = await tx
    .select({ unfinished: apiKeys.unfinishedJobs })
    .from(apiKeys)
    .where(eq(apiKeys.id, keyId));
  const unfinished = current?.unfinished ?? limit;
  throw new DomainError("queue_full", {
    message: `This key has ${unfinished} unfinished jobs, the most it may have. Wait for some to finish.`,
    details: { unfinished, limit },
    retryAfter: 2,
  });
}

export async function releaseQueueSlot(tx: Tx, keyId: string | null): Promise<void> {
  if (!keyId) return;
  await tx
    .update(apiKeys)
    .set({ unfinishedJobs: sql`${apiKeys.unfinishedJobs} - 1` })
    .where(and(eq(apiKeys.id, keyId), gt(apiKeys.unfinishedJobs, 0)));
}
