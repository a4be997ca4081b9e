"use client";

import * as React from "react";
import { type TopUpPromptProps, TopUpPromptProvider } from "@/components/errors/top-up-slot";
import { lazyNamed } from "@/lib/lazy";

// The pack purchase flow (packs, Checkout, the pending payment) loads when an insufficient_balance
// state first shows, not with every console page: in the shell it was ~10 kB of every route's
// first-load JavaScript (/jobs went over the 120 kB gate).
const TopUpPrompt = lazyNamed(() => import("@/components/billing/top-up-prompt"), "TopUpPrompt");

const renderTopUpPrompt = (props: TopUpPromptProps) => (
  <React.Suspense fallback={null}>
    <TopUpPrompt {...props} />
  </React.Suspense>
);

/**
 * The app layer composes features: the error UI's insufficient_balance state opens billing's
 * top-up prompt (the console's one pack purchase flow), which errors/ may not import itself.
 */
export function ConsoleSlots({ children }: { children: React.ReactNode }) {
  return <TopUpPromptProvider render={renderTopUpPrompt}>{children}</TopUpPromptProvider>;
}
