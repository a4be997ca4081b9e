import { parseAsIsoDate, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { AUDIT_CATEGORY_LIST, type AuditCategory } from "@/lib/api/contract/audit-actions";
import type { CustomerAuditFilters } from "@/lib/api/contract/audit.schema";

// The audit log's URL state, shared by the view (useAuditFilters) and its page, which reads the same
// parameters on the server to prefetch the same query (createLoader).

const DAY_MS = 86_400_000;

export const auditSearchParams = {
  category: parseAsStringLiteral(AUDIT_CATEGORY_LIST),
  action: parseAsString,
  /** A member's email (or `staff`). */
  actor: parseAsString,
  /** An id: key_…, we_…, top_…, cus_…. */
  target: parseAsString,
  /** UTC days, inclusive: `from=2026-12-01&to=2026-12-05`. */
  from: parseAsIsoDate,
  to: parseAsIsoDate,
};

export type AuditSearch = {
  category: AuditCategory | null;
  action: string | null;
  actor: string | null;
  target: string | null;
  from: Date | null;
  to: Date | null;
};

/** URL state → the API's filters (only the set ones, so equal views share one query key). */
export function toAuditFilters(search: AuditSearch): CustomerAuditFilters {
  return {
    ...(search.category ? { category: search.category } : {}),
    ...(search.action ? { action: search.action } : {}),
    ...(search.actor?.trim() ? { actor: search.actor.trim() } : {}),
    ...(search.target?.trim() ? { target: search.target.trim() } : {}),
    ...(search.from ? { from: search.from.toISOString() } : {}),
    ...(search.to ? { to: new Date(search.to.getTime() + DAY_MS).toISOString() } : {}),
  };
}
