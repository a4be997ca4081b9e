"use client";

import { onlineManager, type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import * as React from "react";
import { accountHandlers } from "@/lib/api/account-state";
import { makeQueryClient } from "@/lib/api/query-client";
import { whenIslandsHydrated } from "./island";

let browserClient: QueryClient | undefined;

/** One client for the whole page in the browser; a fresh one per render on the server. */
function getQueryClient(): QueryClient {
  if (typeof window === "undefined") return makeQueryClient(accountHandlers);
  if (!browserClient) {
    browserClient = makeQueryClient(accountHandlers);
    // Queries wait (paused, as if offline) until every island of the first page load has hydrated.
    if (!whenIslandsHydrated(() => onlineManager.setOnline(true))) onlineManager.setOnline(false);
  }
  return browserClient;
}

/** Forgets every cached answer (on sign-out, before another account signs in on this page). */
export function clearQueryClient() {
  browserClient?.clear();
}

/** The query client around one island (they all share it, so caches and invalidations are shared). */
export function QueryRuntime({ children }: { children: React.ReactNode }) {
  const [client] = React.useState(getQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
