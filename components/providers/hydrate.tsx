"use client";

import { type DehydratedState, HydrationBoundary } from "@tanstack/react-query";
import * as React from "react";
import { LiveFieldset } from "@/components/ui/live-fieldset";
import { reviveErrors } from "@/lib/api/dehydrated";

/**
 * The browser half of `Prefetch` (lib/server/console/prefetch.tsx): the page's first data into the
 * cache. What it wraps streams in behind the shell and hydrates after it, so its controls stay
 * disabled until this boundary itself is live (a click in between would be lost).
 */
export function Hydrate({ state, children }: { state: DehydratedState; children: React.ReactNode }) {
  const revived = React.useMemo(() => reviveErrors(state), [state]);
  return (
    <HydrationBoundary state={revived}>
      <LiveFieldset>{children}</LiveFieldset>
    </HydrationBoundary>
  );
}
