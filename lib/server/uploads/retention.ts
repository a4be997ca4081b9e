import { and, asc, eq, inArray, lt, notExists, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { jobs, uploads } from "../db/schema";
import { env } from "../env";
import { getStore } from "../storage/store";

const HOUR_MS = 3600 * 1000;
const BATCH = 500;

/**
 * Deletes uploads no job references once they are older than UPLOAD_RETENTION_HOURS (default 24): the
 * images of refused jobs and uploads never used, which would otherwise hold disk (and quota) forever.
 * Rows go first, in batches (locked SKIP LOCKED, so an upload a job is being created with right now —
 * `insertJob` holds it FOR SHARE — is left for the next run); their files after each commit. An upload
 * any job references is kept as long as the job. Returns how many uploads went. The maintenance loop
 * calls it.
 */
export async function pruneUnreferencedUploads(
  options: { hours?: number; now?: Date; batchSize?: number } = {},
): Promise<number> {
  const hours = options.hours ?? env().UPLOAD_RETENTION_HOURS;
  const cutoff = new Date((options.now ?? new Date()).getTime() - hours * HOUR_MS);
  const batch = options.batchSize ?? BATCH;
  const db = await getDb();
  const store = getStore();
  let total = 0;
  for (;;) {
    const gone = await db.transaction(async (tx) => {
      const stale = await tx
        .select({ id: uploads.id })
        .from(uploads)
        .where(
          and(
            lt(uploads.createdAt, cutoff),
            notExists(
              tx
                .select({ one: sql`1` })
                .from(jobs)
                .where(
                  and(sql`${jobs.inputs} ? 'upload_id'`, eq(sql`${jobs.inputs}->>'upload_id'`, uploads.id)),
                ),
            ),
          ),
        )
        .orderBy(asc(uploads.createdAt))
        .limit(batch)
        .for("update", { skipLocked: true });
      if (!stale.length) return [];
      return tx
        .delete(uploads)
        .where(
          inArray(
            uploads.id,
            stale.map((r) => r.id),
          ),
        )
        .returning({ storageKey: uploads.storageKey });
    });
    for (const { storageKey } of gone) await store.delete(storageKey);
    total += gone.length;
    if (gone.length < batch) return total;
  }
}
