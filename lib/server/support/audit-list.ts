import { and, desc, eq, lt } from "drizzle-orm";
import type { AuditEntry, AuditList, AuditQuery } from "@/lib/api/contract/support.schema";
import { getDb } from "../db/client";
import { auditLog } from "../db/schema";
import { idCursor, idFromCursor } from "../cursor";

type AuditRow = typeof auditLog.$inferSelect;

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor_user_id: row.actorUserId,
    actor_email: row.actorEmail,
    actor_role: row.actorRole,
    action: row.action,
    customer_id: row.customerId,
    target_type: row.targetType,
    target_id: row.targetId,
    reason: row.reason,
    details: (row.details as Record<string, unknown> | null) ?? null,
    request_id: row.requestId,
  };
}

const AUDIT_ID = /^aud_[0-9A-Z]{26}$/;

/**
 * The audit trail, newest first: staff actions and lookups, or everything. Keyset over the id (a ULID
 * minted when the row was written), since `at` has microseconds a cursor would round away.
 */
export async function listAudit(query: AuditQuery): Promise<AuditList> {
  const cursor = query.cursor ? idFromCursor(query.cursor, AUDIT_ID) : undefined;
  const db = await getDb();
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        query.actor === "staff" ? eq(auditLog.actorRole, "support") : undefined,
        query.customer_id ? eq(auditLog.customerId, query.customer_id) : undefined,
        query.action ? eq(auditLog.action, query.action) : undefined,
        cursor ? lt(auditLog.id, cursor) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toAuditEntry),
    next_cursor: more && last ? idCursor(last.id) : null,
  };
}
