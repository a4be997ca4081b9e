import type { Db, Tx } from "../db/client";
import { auditLog } from "../db/schema";
import { newId } from "../ids";

export type AuditActor = { userId: string | null; email: string | null; role: string | null };

export type AuditEntry = {
  actor: AuditActor;
  action: string;
  customerId?: string | null;
  targetType?: string;
  targetId?: string;
  reason?: string | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
};

/** Writes one audit row — pass the transaction of the change, so the change and its record commit together. */
export async function recordAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
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
    details: entry.details ?? null,
    requestId: entry.requestId ?? null,
  });
}
