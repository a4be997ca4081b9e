import { inArray, lt } from "drizzle-orm";
import { getDb } from "../db/client";
import { requestLog, requestLogDaily, requestLogHourly } from "../db/schema";
import { env } from "../env";

const DAY_MS = 24 * 3600 * 1000;
const BATCH = 5_000;

/**
 * Deletes request-log rows older than REQUEST_LOG_DAYS (default 30), in batches over the `at` index so
 * no single statement holds locks for long, and the keys' hourly rollup of the same hours. Returns how
 * many request-log rows went. The worker loop calls it.
 */
export async function pruneRequestLog(
  options: { days?: number; now?: Date; batchSize?: number } = {},
): Promise<number> {
  const days = options.days ?? env().REQUEST_LOG_DAYS;
  const cutoff = new Date((options.now ?? new Date()).getTime() - days * DAY_MS);
  const batch = options.batchSize ?? BATCH;
  const db = await getDb();
  let total = 0;
  // The rollups are small (one row per key, hour or day, and (ip, origin)): one statement each. A day
  // goes once all of it is past the cutoff.
  await db.delete(requestLogHourly).where(lt(requestLogHourly.hour, cutoff));
  await db.delete(requestLogDaily).where(lt(requestLogDaily.day, new Date(cutoff.getTime() - DAY_MS)));
  for (;;) {
    const old = db
      .select({ id: requestLog.requestId })
      .from(requestLog)
      .where(lt(requestLog.at, cutoff))
      .limit(batch);
    const deleted = await db
      .delete(requestLog)
      .where(inArray(requestLog.requestId, old))
      .returning({ id: requestLog.requestId });
    total += deleted.length;
    if (deleted.length < batch) return total;
  }
}
