import { and, desc, eq, lt } from "drizzle-orm";
import type { LedgerEntry, LedgerList } from "@/lib/api/contract/billing.schema";
import { getDb } from "../db/client";
import { ledgerEntries } from "../db/schema";
import { DomainError } from "../errors";

const LEDGER_ID = /^led_[0-9A-Za-z_]{1,100}$/;

/** The opaque keyset cursor: base64url of the last id on the page. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!LEDGER_ID.test(id) || encodeCursor(id) !== cursor) {
    throw new DomainError("invalid_request", {
      message: "The cursor is not one this API returned.",
      details: { fields: [{ path: "cursor", message: "Invalid cursor" }] },
    });
  }
  return id;
}

export function toLedgerEntryDto(row: typeof ledgerEntries.$inferSelect): LedgerEntry {
  return {
    id: row.id,
    kind: row.kind,
    credits: row.credits,
    balance_after: row.balanceAfter,
    job_id: row.jobId,
    top_up_id: row.topUpId,
    product_id: row.productId,
    key_id: row.keyId,
    note: row.note,
    trigger: row.kind === "top_up" ? (row.trigger ?? "manual") : null,
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * One page of the customer's ledger, newest first. Ids are time-sortable, so the keyset is the id alone
 * (index ledger_customer_idx on (customer_id, id)): `id < cursor`, one extra row says whether more exist.
 * `job_id` narrows it to one job's rows (ledger_job_idx).
 */
export async function listLedger(
  customerId: string,
  { limit, cursor, job_id }: { limit: number; cursor?: string; job_id?: string },
): Promise<LedgerList> {
  const db = await getDb();
  const after = cursor ? decodeCursor(cursor) : undefined;
  const rows = await db
    .select()
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.customerId, customerId),
        after ? lt(ledgerEntries.id, after) : undefined,
        job_id ? eq(ledgerEntries.jobId, job_id) : undefined,
      ),
    )
    .orderBy(desc(ledgerEntries.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    data: page.map(toLedgerEntryDto),
    next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null,
  };
}
