import {
  type DehydratedState,
  defaultShouldDehydrateQuery,
  dehydrate,
  type FetchInfiniteQueryOptions,
  type FetchQueryOptions,
  QueryClient,
} from "@tanstack/react-query";
import { cache } from "react";
import type * as React from "react";
import { Hydrate } from "@/components/providers/hydrate";
import { toDehydratedError } from "@/lib/api/dehydrated";
import "./in-process";

// Any query options object a page may ask for (the factories in lib/api/queries).
// Each factory's own data and key types vary; `any` here is what TanStack's own query lists use.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyQuery =
  FetchQueryOptions<any, any, any, any> | FetchInfiniteQueryOptions<any, any, any, any, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

const isInfinite = (query: AnyQuery): query is FetchInfiniteQueryOptions =>
  "getNextPageParam" in query && "initialPageParam" in query;

/** One query client per page request, shared by its layout and page (what one fetched, the other reuses). */
const requestClient = cache(
  () => new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 10_000 } } }),
);

/**
 * Fetches `queries` through the API in-process (lib/server/console/in-process.ts) and returns the
 * request's cache as dehydrated state, errors included (as plain data: lib/api/dehydrated.ts).
 */
export async function prefetch(queries: AnyQuery[]): Promise<DehydratedState> {
  const client = requestClient();
  await Promise.all(
    queries
      // Already answered with an error in this request (serverQuery): hand that over, don't ask again.
      .filter((query) => client.getQueryState(query.queryKey)?.status !== "error")
      .map((query) =>
        isInfinite(query) ? client.prefetchInfiniteQuery(query) : client.prefetchQuery(query),
      ),
  );
  const state = dehydrate(client, {
    shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "error",
  });
  return {
    ...state,
    queries: state.queries.map((query) =>
      query.state.error
        ? { ...query, state: { ...query.state, error: toDehydratedError(query.state.error) as never } }
        : query,
    ),
  };
}

/**
 * One query's data for the page itself to decide what else to prefetch (a support lookup's match →
 * its request or customer), or undefined if the API refused it. Cached in the request's client, so
 * `Prefetch` hands the same answer over without asking twice.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function serverQuery<T>(query: FetchQueryOptions<T, any, T, any>): Promise<T | undefined> {
  try {
    return await requestClient().fetchQuery(query);
  } catch {
    return undefined;
  }
}

/**
 * A page's first data, fetched while the server renders it and handed to the browser's query cache
 * with the HTML (TanStack Query's prefetch + HydrationBoundary): the views render it on first paint
 * and their browser queries take over from there (refetches, polling, mutations). An error is handed
 * over too, so the view's error state, with its request id, is in the first paint as well.
 */
export async function Prefetch({ queries, children }: { queries: AnyQuery[]; children: React.ReactNode }) {
  return <Hydrate state={await prefetch(queries)}>{children}</Hydrate>;
}
