import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { AuditQuery } from "../contract/support.schema";
import { apiFetch, lazySchema } from "../client";
import { idempotencyKeyFor } from "../query-client";
import { KeySchema } from "./keys";
import { toSearch } from "./requests";

const schemas = () => import("../contract/support.schema");
const AuditListSchema = lazySchema(schemas, (m) => m.AuditListSchema);
const CustomerPauseResultSchema = lazySchema(schemas, (m) => m.CustomerPauseResultSchema);
const CustomerSummarySchema = lazySchema(schemas, (m) => m.CustomerSummarySchema);
const LookupResultSchema = lazySchema(schemas, (m) => m.LookupResultSchema);
const SupportProductListSchema = lazySchema(schemas, (m) => m.SupportProductListSchema);
const SupportProductSchema = lazySchema(schemas, (m) => m.SupportProductSchema);
const SupportRequestSchema = lazySchema(schemas, (m) => m.SupportRequestSchema);

// Every support read is audited server-side: keep them fresh for a minute instead of refetching on focus.
const AUDITED = { staleTime: 60_000, refetchOnWindowFocus: false } as const;

export const supportQueries = {
  all: () => ["support"] as const,
  lookup: (q: string) =>
    queryOptions({
      queryKey: [...supportQueries.all(), "lookup", q] as const,
      queryFn: ({ signal }) =>
        // POSTed: a pasted secret must not travel in a URL.
        apiFetch("/support/lookup", LookupResultSchema, { method: "POST", json: { q }, signal }),
      ...AUDITED,
    }),
  request: (id: string) =>
    queryOptions({
      queryKey: [...supportQueries.all(), "request", id] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/support/requests/${encodeURIComponent(id)}`, SupportRequestSchema, { signal }),
      ...AUDITED,
    }),
  customers: () => [...supportQueries.all(), "customer"] as const,
  customer: (id: string) =>
    queryOptions({
      queryKey: [...supportQueries.customers(), id] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/support/customers/${encodeURIComponent(id)}`, CustomerSummarySchema, { signal }),
      ...AUDITED,
    }),
  products: () =>
    queryOptions({
      queryKey: [...supportQueries.all(), "products"] as const,
      queryFn: ({ signal }) => apiFetch("/support/products", SupportProductListSchema, { signal }),
    }),
  audits: () => [...supportQueries.all(), "audit"] as const,
  audit: (filters: Omit<AuditQuery, "cursor" | "limit">) =>
    infiniteQueryOptions({
      queryKey: [...supportQueries.audits(), filters] as const,
      queryFn: ({ signal, pageParam }) =>
        apiFetch(`/support/audit${toSearch({ ...filters, limit: 50, cursor: pageParam })}`, AuditListSchema, {
          signal,
        }),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.next_cursor,
    }),
};

export type PauseTarget = "customers" | "keys" | "products";

type PauseVars = { target: PauseTarget; id: string; paused: boolean; reason: string };

const pausePath = (vars: PauseVars) =>
  `/support/${vars.target}/${encodeURIComponent(vars.id)}/${vars.paused ? "pause" : "unpause"}`;

// Mutation calls: one variables object per action, so idempotencyKeyFor keeps one key across retries.
export const supportApi = {
  setPaused: async (vars: PauseVars): Promise<{ status: string }> => {
    const init = { method: "POST", json: { reason: vars.reason }, idempotencyKey: idempotencyKeyFor(vars) };
    if (vars.target === "customers") return apiFetch(pausePath(vars), CustomerPauseResultSchema, init);
    if (vars.target === "keys") return apiFetch(pausePath(vars), KeySchema, init);
    return apiFetch(pausePath(vars), SupportProductSchema, init);
  },
};
