import { isDeepStrictEqual } from "node:util";
import type { Db, Tx } from "../db/client";
import { auditLog } from "../db/schema";
import { newId } from "../ids";

/**
 * Who made a change: a console member (their role in the customer), a staff member (`support`), or an
 * API key acting for its whole customer (role `api_key`, no person: `key` names it).
 */
export type AuditActor = {
  userId: string | null;
  email: string | null;
  role: string | null;
  key?: { id: string; prefix: string };
};

/** One field's value before and after a change; `from` null on a create, `to` null on a delete. */
export type AuditChange = { from: unknown; to: unknown };
export type AuditChanges = Record<string, AuditChange>;

/**
 * One audit row. The shape every writer follows (the customer's audit log, GET /audit, reads it):
 * - `action`: `<area>.<verb>` — key.create, billing.settings.update, top_up.create,
 *   webhook_endpoint.update, member.role_change, support.key.pause… The area (its first segment) is the
 *   log's category (lib/api/contract/audit.schema.ts).
 * - `customerId`: the customer whose account changed (its members read the row); `targetType` and
 *   `targetId`: what changed (api_key/key_…, customer/cus_…, webhook_endpoint/we_…, top_up/top_…,
 *   member/usr_…).
 * - `details.changes`: `{field: {from, to}}`, only the fields that changed — the before → after the
 *   console shows. Other details are context (a key's prefix, a top-up's pack).
 * - `requestId`: the request that made the change; `reason`: a staff action's reason.
 * Written in the transaction of the change (pass its `tx`), so the change and its record commit together.
 */
export type AuditEntry = {
  actor: AuditActor;
  action: string;
  customerId?: string | null;
  targetType?: string;
  targetId?: string;
  reason?: string | null;
  details?: Record<string, unknown>;
  changes?: AuditChanges;
  requestId?: string | null;
};

export async function recordAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  const details = {
    ...entry.details,
    ...(entry.changes && { changes: entry.changes }),
    ...(entry.actor.key && { actor_key: entry.actor.key }),
  };
  await db.insert(auditLog).values({
    id: newId("aud"),
    actorUserId: entry.actor.userId,
    actorEmail: entry.actor.email,
    actorRole: entry.actor.role,
    customerId: entry.customerId ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    reason: entry.reason ?? null,
    details: Object.keys(details).length ? details : null,
    requestId: entry.requestId ?? null,
  });
}

/**
 * The fields of `after` whose value differs from `before` (deep equality), as {from, to}. A missing
 * side (null: a create or a delete) makes every field of the other a change.
 */
export function changesOf<T extends Record<string, unknown>>(
  before: T | null,
  after: T | null,
  fields: readonly (keyof T & string)[] = Object.keys(after ?? before ?? {}) as (keyof T & string)[],
): AuditChanges {
  const changes: AuditChanges = {};
  for (const field of fields) {
    const from = before ? (before[field] ?? null) : null;
    const to = after ? (after[field] ?? null) : null;
    if (!isDeepStrictEqual(from, to)) changes[field] = { from, to };
  }
  return changes;
}
