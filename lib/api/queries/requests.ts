import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { RequestFilters } from "../contract/requests.schema";
import { apiFetch, lazySchema } from "../client";

const schemas = () => import("../contract/requests.schema");
const RequestListSchema = lazySchema(schemas, (m) => m.RequestListSchema);
const RequestStorySchema = lazySchema(schemas, (m) => m.RequestStorySchema);
const RequestSummarySchema = lazySchema(schemas, (m) => m.RequestSummarySchema);

export const REQUEST_PAGE_SIZE = 50;

/** Time-range presets of the console; the window slides: `from` is computed when the query runs. */
export const TIME_RANGES = {
  "1h": { label: "Last hour", ms: 3_600_000 },
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000 },
} as const;
export type TimeRange = keyof typeof TIME_RANGES;

export type RequestLogFilters = Omit<RequestFilters, "from" | "to"> & { range: TimeRange };

function fromOf(range: TimeRange): string {
  return new Date(Date.now() - TIME_RANGES[range].ms).toISOString();
}

/** `?a=1&b=2` from the set values only (stable order, so equal filters give equal URLs). */
export function toSearch(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params).sort(([a], [b]) => a.localeCompare(b))) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : "";
}

export const requestQueries = {
  all: () => ["requests"] as const,
  lists: () => [...requestQueries.all(), "list"] as const,
  list: ({ range, ...filters }: RequestLogFilters) =>
    infiniteQueryOptions({
      queryKey: [...requestQueries.lists(), { range, ...filters }] as const,
      queryFn: ({ signal, pageParam }) =>
        apiFetch(
          `/requests${toSearch({ ...filters, from: fromOf(range), limit: REQUEST_PAGE_SIZE, cursor: pageParam })}`,
          RequestListSchema,
          { signal },
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.next_cursor,
    }),
  summaries: () => [...requestQueries.all(), "summary"] as const,
  summary: (range: TimeRange) =>
    queryOptions({
      queryKey: [...requestQueries.summaries(), range] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/requests/summary${toSearch({ from: fromOf(range) })}`, RequestSummarySchema, { signal }),
    }),
  details: () => [...requestQueries.all(), "detail"] as const,
  detail: (id: string) =>
    queryOptions({
      queryKey: [...requestQueries.details(), id] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/requests/${encodeURIComponent(id)}`, RequestStorySchema, { signal }),
    }),
};
