"use client";

import { useQueryStates } from "nuqs";
import { auditSearchParams, toAuditFilters } from "./audit-search";

/** The audit log's filters, kept in the URL (shareable, reloadable, and Back restores them). */
export function useAuditFilters() {
  const [state, setState] = useQueryStates(auditSearchParams, { history: "push" });
  const filters = toAuditFilters(state);
  const active = Object.keys(filters).length > 0;
  const clear = () =>
    void setState({ category: null, action: null, actor: null, target: null, from: null, to: null });
  return { state, filters, active, setState, clear };
}

/** `YYYY-MM-DD` for a date input, from a UTC-midnight Date. */
export function dayValue(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : "";
}
