"use client";

import { isServer, type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import type * as React from "react";
import { accountHandlers } from "@/lib/api/account-state";
import { makeQueryClient } from "@/lib/api/query-client";

let browserClient: QueryClient | undefined;

/** One client for the page's life in the browser; a fresh one per request on the server. */
function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient(accountHandlers);
  return (browserClient ??= makeQueryClient(accountHandlers));
}

/** Forgets every cached answer (on sign-out, before another account signs in on this page). */
export function clearQueryClient() {
  browserClient?.clear();
}

/**
 * The console's one query client, and nuqs for the views whose filters live in the URL. A page's first
 * data usually comes with its HTML (components/providers/server-data.tsx); the client takes it from
 * there: refetches, polling, mutations.
 */
export function QueryProvider({ children }: { children: React.ReactNode }) {
  const client = getQueryClient();
  return (
    <QueryClientProvider client={client}>
      <NuqsAdapter>{children}</NuqsAdapter>
    </QueryClientProvider>
  );
}
