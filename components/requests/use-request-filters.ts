"use client";

import { parseAsString, parseAsStringLiteral, useQueryStates } from "nuqs";
import { REQUEST_SOURCES, STATUS_CLASSES } from "@/lib/api/contract/constants";
import { type RequestLogFilters, TIME_RANGES, type TimeRange } from "@/lib/api/queries/requests";

const RANGE_KEYS = Object.keys(TIME_RANGES) as TimeRange[];

const parsers = {
  source: parseAsStringLiteral(REQUEST_SOURCES),
  status: parseAsStringLiteral(STATUS_CLASSES),
  code: parseAsString,
  key: parseAsString,
  path: parseAsString,
  range: parseAsStringLiteral(RANGE_KEYS).withDefault("24h"),
};

/** The request log's filters, kept in the URL (shareable, and Back restores them). */
export function useRequestFilters() {
  const [state, setState] = useQueryStates(parsers, { history: "replace", clearOnDefault: true });
  const filters: RequestLogFilters = {
    range: state.range,
    ...(state.source ? { source: state.source } : {}),
    ...(state.status ? { status: state.status } : {}),
    ...(state.code ? { code: state.code } : {}),
    ...(state.key ? { key_id: state.key } : {}),
    ...(state.path ? { path: state.path } : {}),
  };
  const active = Boolean(state.source || state.status || state.code || state.key || state.path);
  const clear = () => void setState({ source: null, status: null, code: null, key: null, path: null });
  return { state, filters, active, setState, clear };
}
