"use client";

import Link from "next/link";
import * as React from "react";
import { type ErrorUiKind, toErrorUi } from "@/lib/api/error-ui";
import { AllowlistDenial } from "./allowlist-denial";
import { ErrorState } from "./error-state";
import { IdempotencyConflict } from "./idempotency-conflict";
import { InvalidStateAlert } from "./invalid-state-alert";
import { PausedAlert } from "./paused-alert";
import { QueueFullAlert } from "./queue-full-alert";
import { RequestIdCopy } from "./request-id-copy";
import { RetryCountdown } from "./retry-countdown";
import { lazyNamed } from "@/lib/lazy";

// Only a spend_limit refusal loads it (out of the first-load JavaScript of every page with errors).
const SpendLimitAlert = lazyNamed(() => import("./spend-limit-alert"), "SpendLimitAlert");
import { TopUpPromptSlot } from "./top-up-slot";

/** What a caller can offer on the state of each error kind, beyond a retry. */
type ActionsByKind = {
  /** How many automatic retries already ran (the countdown backs off and stops after a few). */
  "retry-countdown": { attempt: number };
  /** The key that made the request, so "Allow" can add the observed origin or IP to it. */
  "allowlist-denial": { keyId: string | null; onAllowed?: () => void };
  /** Where "View unfinished jobs" leads (default /jobs). */
  "queue-full": { href: string };
  /** Offers "Use a new key". */
  conflict: { onNewKey: () => void };
  /** The paused product's display name. */
  paused: { productName?: string };
  /** Runs the blocked action again (as a new call) once the top-up covers it, under `label`. */
  "top-up": { onResolved: () => void; label: string };
};

/** One entry per error kind that has something to offer; keys are ErrorUiKinds, nothing else. */
export type ErrorActions = { [K in ErrorUiKind]?: K extends keyof ActionsByKind ? ActionsByKind[K] : never };

export type ErrorUiRendererProps = {
  error: unknown;
  /** Retries the failed call: the countdown calls it by itself; other states offer "Try again". */
  onRetry?: () => void;
  actions?: ErrorActions;
  className?: string;
};

/**
 * One error → the UI state ARCHITECTURE.md names for its code (toErrorUi(error).kind). Field errors
 * belong on their fields: a form renders those itself and passes only the rest here.
 */
export function ErrorUiRenderer({ error, onRetry, actions = {}, className }: ErrorUiRendererProps) {
  const ui = toErrorUi(error);
  const wrap = (node: React.ReactNode) => (className ? <div className={className}>{node}</div> : node);
  switch (ui.kind) {
    case "paused":
      return wrap(<PausedAlert error={error} productName={actions.paused?.productName} />);
    case "allowlist-denial": {
      const allow = actions["allowlist-denial"];
      return allow?.keyId
        ? wrap(<AllowlistDenial error={error} keyId={allow.keyId} onAllowed={allow.onAllowed} />)
        : wrap(<ErrorState error={error} onRetry={onRetry} />);
    }
    case "retry-countdown":
      return onRetry
        ? wrap(
            <RetryCountdown error={error} onRetry={onRetry} attempt={actions["retry-countdown"]?.attempt} />,
          )
        : wrap(<ErrorState error={error} />);
    case "queue-full":
      return wrap(<QueueFullAlert error={error} href={actions["queue-full"]?.href ?? "/jobs"} />);
    case "conflict":
      return wrap(<IdempotencyConflict error={error} onNewKey={actions.conflict?.onNewKey} />);
    case "invalid-state":
      return wrap(<InvalidStateAlert error={error} />);
    case "spend-limit":
      return wrap(
        <React.Suspense fallback={<ErrorState error={error} />}>
          <SpendLimitAlert error={error} />
        </React.Suspense>,
      );
    case "top-up":
      // The dialog "Top up credits" opens on its own; this stays behind it with the request id.
      return wrap(
        <>
          <div
            role="alert"
            className="flex flex-col gap-2 rounded-lg border border-destructive/40 bg-destructive/5 p-4"
          >
            <p className="font-medium">{ui.title}</p>
            <p className="text-sm">
              {ui.message} Nothing was charged.{" "}
              <Link href="/billing" className="font-medium text-foreground underline underline-offset-4">
                Billing
              </Link>{" "}
              has every pack.
            </p>
            <RequestIdCopy requestId={ui.requestId} code={ui.code} />
          </div>
          <TopUpPromptSlot
            error={error}
            onResolved={actions["top-up"]?.onResolved}
            resolvedLabel={actions["top-up"]?.label}
          />
        </>,
      );
    case "field":
    case "not-found":
    case "sign-in":
    case "job-failed":
    case "generic":
      return wrap(<ErrorState error={error} onRetry={onRetry} />);
  }
}
