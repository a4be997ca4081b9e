"use client";

import { useQueryStates } from "nuqs";
import { requestSearchParams, toRequestFilters } from "./request-search";

/** The request log's filters, kept in the URL (shareable, and Back restores them). */
export function useRequestFilters() {
  const [state, setState] = useQueryStates(requestSearchParams, { history: "replace", clearOnDefault: true });
  const filters = toRequestFilters(state);
  const active = Boolean(
    state.source || state.status || state.code || state.key || state.path || state.would_refuse,
  );
  const clear = () =>
    void setState({ source: null, status: null, code: null, key: null, path: null, would_refuse: null });
  return { state, filters, active, setState, clear };
}
