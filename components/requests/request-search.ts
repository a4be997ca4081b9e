import { parseAsBoolean, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { REQUEST_SOURCES, STATUS_CLASSES } from "@/lib/api/contract/constants";
import { type RequestLogFilters, TIME_RANGES, type TimeRange } from "@/lib/api/queries/requests";

// The request log's URL state, shared by the view (useRequestFilters) and its page, which reads the
// same parameters on the server to prefetch the same queries (createLoader).

const RANGE_KEYS = Object.keys(TIME_RANGES) as TimeRange[];

export const requestSearchParams = {
  source: parseAsStringLiteral(REQUEST_SOURCES),
  status: parseAsStringLiteral(STATUS_CLASSES),
  code: parseAsString,
  key: parseAsString,
  path: parseAsString,
  /** Only requests a key's shadow allowlist would have refused. */
  would_refuse: parseAsBoolean,
  range: parseAsStringLiteral(RANGE_KEYS).withDefault("24h"),
};

export type RequestSearch = {
  source: RequestLogFilters["source"] | null;
  status: RequestLogFilters["status"] | null;
  code: string | null;
  key: string | null;
  path: string | null;
  would_refuse: boolean | null;
  range: TimeRange;
};

/** URL state → the list's filters (only the set ones, so equal views share one query key). */
export function toRequestFilters(state: RequestSearch): RequestLogFilters {
  return {
    range: state.range,
    ...(state.source ? { source: state.source } : {}),
    ...(state.status ? { status: state.status } : {}),
    ...(state.code ? { code: state.code } : {}),
    ...(state.key ? { key_id: state.key } : {}),
    ...(state.path ? { path: state.path } : {}),
    ...(state.would_refuse ? { would_refuse: "true" as const } : {}),
  };
}
