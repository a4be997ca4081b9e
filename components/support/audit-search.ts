import { parseAsString, parseAsStringLiteral } from "nuqs/server";

// The audit log's URL state, shared by the view and its page, which reads the same parameters on the
// server to prefetch the same query (createLoader).

const ACTORS = ["staff", "all"] as const;

export const auditSearchParams = {
  customer: parseAsString,
  actor: parseAsStringLiteral(ACTORS).withDefault("staff"),
};

/** URL state → the audit list's filters. */
export function toAuditFilters(state: { customer: string | null; actor: (typeof ACTORS)[number] }) {
  return { actor: state.actor, ...(state.customer ? { customer_id: state.customer } : {}) };
}
