"use client";

import { useQueryStates } from "nuqs";
import * as React from "react";
import { jobSearchParams, toJobFilters } from "./job-search";

export function useJobFilters() {
  const [search, setSearch] = useQueryStates(jobSearchParams, { history: "push" });
  const { status, product, key, from, to } = search;
  const fromMs = from?.getTime() ?? null;
  const toMs = to?.getTime() ?? null;
  const filters = React.useMemo(
    () =>
      toJobFilters({
        status,
        product,
        key,
        from: fromMs === null ? null : new Date(fromMs),
        to: toMs === null ? null : new Date(toMs),
      }),
    [status, product, key, fromMs, toMs],
  );
  const active = Boolean(status || product || key || from || to);
  return { search, setSearch, filters, active };
}

/** `YYYY-MM-DD` for a date input, from a UTC-midnight Date. */
export function dayValue(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : "";
}
