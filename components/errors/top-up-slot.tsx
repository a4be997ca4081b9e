"use client";

import * as React from "react";

export type TopUpPromptProps = {
  /** The failed call's error: the dialog opens for an `insufficient_balance` and stays shut otherwise. */
  error: unknown;
  /**
   * Runs the blocked action again, offered once the balance covers it. The 402 was stored under the
   * first call's Idempotency-Key (a retry with that key replays the 402), so the re-run is a new call
   * with a new key — with TanStack Query, `mutation.mutate({...vars})`: a new variables object.
   */
  onResolved?: () => void;
  /** Called when the dialog closes without a re-run (e.g. to `mutation.reset()`). */
  onDismiss?: () => void;
  /** What the re-run button says, e.g. "Generate again". */
  resolvedLabel?: string;
};

type RenderTopUpPrompt = (props: TopUpPromptProps) => React.ReactNode;

const TopUpPromptContext = React.createContext<RenderTopUpPrompt | null>(null);

/**
 * The insufficient_balance state's dialog comes from billing (the one pack purchase flow), and the
 * error UI may not import a feature: the app layer composes them by providing it here.
 */
export function TopUpPromptProvider({
  render,
  children,
}: {
  render: RenderTopUpPrompt;
  children: React.ReactNode;
}) {
  return <TopUpPromptContext value={render}>{children}</TopUpPromptContext>;
}

/** The provided top-up prompt, or nothing (the inline state still links to Billing). */
export function TopUpPromptSlot(props: TopUpPromptProps) {
  const render = React.use(TopUpPromptContext);
  return render ? render(props) : null;
}
