import { and, eq } from "drizzle-orm";
import { getDb } from "../db/client";
import { requestLog } from "../db/schema";
import { DomainError } from "../errors";
import { flushRequestLog } from "../request-log/writer";
import type { RequestRow } from "./dto";

export const REQUEST_ID_RE = /^req_[0-9A-Z]{26}$/;

/** Another customer's request and a missing one answer alike, so existence is not leaked. */
export const requestNotFound = (id: string) =>
  new DomainError("not_found", { message: `No request ${id.slice(0, 100)}.` });

/**
 * One request-log row, optionally only if it is the customer's. The log is written off the request's
 * path: an id handed out a moment ago may still sit in this process's buffer, so flush once and re-read.
 */
export async function findRequestRow(id: string, customerId?: string): Promise<RequestRow | null> {
  if (!REQUEST_ID_RE.test(id)) return null;
  const db = await getDb();
  const read = async () => {
    const [row] = await db
      .select()
      .from(requestLog)
      .where(
        and(eq(requestLog.requestId, id), customerId ? eq(requestLog.customerId, customerId) : undefined),
      );
    return row ?? null;
  };
  const row = await read();
  if (row) return row;
  await flushRequestLog();
  return read();
}
