import { and, desc, eq, gte, lt, ne, or, type SQL, sql } from "drizzle-orm";
import { AUDIT_CATEGORIES, auditCategoryOf } from "@/lib/api/contract/audit-actions";
import type {
  AuditChange,
  CustomerAuditEntry,
  CustomerAuditList,
  CustomerAuditQuery,
} from "@/lib/api/contract/audit.schema";
import { getDb } from "../db/client";
import { auditLog } from "../db/schema";
import { DomainError } from "../errors";
import { idCursor, idFromCursor } from "../cursor";
import { clampQueryTime } from "../query-time";

type AuditRow = typeof auditLog.$inferSelect;

const STAFF = "support";

function invalidField(path: string, message: string): DomainError {
  return new DomainError("invalid_request", { message, details: { fields: [{ path, message }] } });
}

const isChange = (v: unknown): v is AuditChange =>
  typeof v === "object" && v !== null && "from" in v && "to" in v;

/**
 * A row as the customer's members see it. Staff are named by role, reason and request id, never by
 * person: their identity stays in the platform's own trail (GET /support/audit).
 */
export function toCustomerAuditEntry(row: AuditRow): CustomerAuditEntry {
  const { changes, actor_key: actorKey, ...details } = (row.details ?? {}) as Record<string, unknown>;
  const key = (actorKey ?? null) as { id: string; prefix: string } | null;
  const type = row.actorRole === STAFF ? "staff" : row.actorRole === "api_key" ? "api_key" : "member";
  const changed =
    typeof changes === "object" && changes !== null
      ? Object.fromEntries(Object.entries(changes).filter(([, c]) => isChange(c)))
      : {};
  return {
    id: row.id,
    at: row.at.toISOString(),
    action: row.action,
    category: auditCategoryOf(row.action),
    actor: {
      type,
      user_id: type === "member" ? row.actorUserId : null,
      email: type === "member" ? row.actorEmail : null,
      role: type === "member" ? row.actorRole : null,
      key_id: key?.id ?? null,
      key_prefix: key?.prefix ?? null,
    },
    target_type: row.targetType,
    target_id: row.targetId,
    reason: row.reason,
    changes: changed as Record<string, AuditChange>,
    details,
    request_id: row.requestId,
  };
}

const AUDIT_ID = /^aud_[0-9A-Z]{26}$/;

/**
 * Staff *reads* of the customer (lookups, views: `support.lookup`, `support.<thing>.view`) are the
 * platform's own accountability and stay out of the customer's log; their *actions* (pauses) show, with
 * the reason.
 */
const notStaffRead = sql`not (${auditLog.action} = 'support.lookup' or (left(${auditLog.action}, 8) = 'support.' and right(${auditLog.action}, 5) = '.view'))`;

function actorIs(actor: string): SQL | undefined {
  if (actor.toLowerCase() === "staff") return eq(auditLog.actorRole, STAFF);
  // Never a staff member by their email or id: the log doesn't name them.
  const person = /^usr_/i.test(actor)
    ? eq(auditLog.actorUserId, actor)
    : sql`lower(${auditLog.actorEmail}) = ${actor.toLowerCase()}`;
  return and(person, ne(auditLog.actorRole, STAFF));
}

function categoryIs(category: keyof typeof AUDIT_CATEGORIES): SQL | undefined {
  return or(
    ...AUDIT_CATEGORIES[category].prefixes.map((p) => sql`left(${auditLog.action}, ${p.length}) = ${p}`),
  );
}

/**
 * GET /audit: every change to the customer's account, newest first, keyset over the id (a ULID minted
 * with the row; `at` has microseconds a cursor would round away). Only this customer's rows, ever.
 */
export async function listCustomerAudit(
  customerId: string,
  query: CustomerAuditQuery,
): Promise<CustomerAuditList> {
  if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) {
    throw invalidField("to", "`to` must be after `from`.");
  }
  const cursor = query.cursor ? idFromCursor(query.cursor, AUDIT_ID) : undefined;
  const db = await getDb();
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.customerId, customerId),
        notStaffRead,
        query.category ? categoryIs(query.category) : undefined,
        query.action ? eq(auditLog.action, query.action) : undefined,
        query.actor ? actorIs(query.actor) : undefined,
        query.target ? eq(auditLog.targetId, query.target) : undefined,
        query.from ? gte(auditLog.at, clampQueryTime(query.from)) : undefined,
        query.to ? lt(auditLog.at, clampQueryTime(query.to)) : undefined,
        cursor ? lt(auditLog.id, cursor) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(toCustomerAuditEntry),
    next_cursor: more && last ? idCursor(last.id) : null,
  };
}
