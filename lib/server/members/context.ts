import type { MemberRole } from "@/lib/api/contract/roles";
import type { AuditActor } from "../audit/audit";
import { DomainError } from "../errors";

/** Who changes the team, of which customer, in which request: what the audit log records. */
export type MemberChangeContext = {
  customerId: string;
  actor: AuditActor & { userId: string; role: MemberRole };
  requestId: string | null;
};

export const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A role refusal: 404 with details.reason "role", as the middleware answers (the catalog has no forbidden). */
export function roleRefusal(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError("not_found", { message, details: { reason: "role", ...details } });
}
