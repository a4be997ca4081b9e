"use client";

import { TopUpPrompt } from "@/components/billing/top-up-prompt";
import { type TopUpPromptProps, TopUpPromptProvider } from "@/components/errors/top-up-slot";

const renderTopUpPrompt = (props: TopUpPromptProps) => <TopUpPrompt {...props} />;

/**
 * The app layer composes features: the error UI's insufficient_balance state opens billing's
 * top-up prompt (the console's one pack purchase flow), which errors/ may not import itself.
 */
export function ConsoleSlots({ children }: { children: React.ReactNode }) {
  return <TopUpPromptProvider render={renderTopUpPrompt}>{children}</TopUpPromptProvider>;
}
