"use client";

import {
  type DehydratedState,
  HydrationBoundary,
  type QueryClient,
  useQueryClient,
} from "@tanstack/react-query";
import * as React from "react";
import { LiveFieldset } from "@/components/ui/live-fieldset";
import { reviveErrors } from "@/lib/api/dehydrated";

/**
 * The server's answers as this browser's cache takes them:
 * - An error the server answered (a key not found, a paused account) stands on mount: the browser does
 *   not ask the same thing again the moment it hydrates. Try again, a countdown or a focus refetch do.
 * - A query new to this browser was read for this page's own request: it is as old as the page, so its
 *   age starts now, on this browser's clock (with the server's, a slow load or a skewed clock makes it
 *   stale on arrival, and the view fetches it again the moment it mounts). A query already cached keeps
 *   the server's time, so older data (a page restored by Back) never replaces newer.
 */
function forThisBrowser(state: DehydratedState, client: QueryClient): DehydratedState {
  const revived = reviveErrors(state);
  const cache = client.getQueryCache();
  const now = Date.now();
  return {
    ...revived,
    queries: revived.queries.map((query) => {
      if (query.state.status === "error") client.setQueryDefaults(query.queryKey, { retryOnMount: false });
      return query.state.status === "success" && !cache.get(query.queryHash)
        ? { ...query, state: { ...query.state, dataUpdatedAt: now } }
        : query;
    }),
  };
}

/**
 * The browser half of `Prefetch` (lib/server/console/prefetch.tsx): the page's first data into the
 * cache. What it wraps streams in behind the shell and hydrates after it, so its controls stay
 * disabled until this boundary itself is live (a click in between would be lost).
 */
export function Hydrate({ state, children }: { state: DehydratedState; children: React.ReactNode }) {
  const client = useQueryClient();
  // Once per server answer (a new one comes with each navigation to the page).
  const revived = React.useMemo(() => forThisBrowser(state, client), [state, client]);
  return (
    <HydrationBoundary state={revived}>
      <LiveFieldset>{children}</LiveFieldset>
    </HydrationBoundary>
  );
}
