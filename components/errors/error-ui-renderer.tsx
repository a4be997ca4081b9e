"use client";

import Link from "next/link";
import { toErrorUi } from "@/lib/api/error-ui";
import { AllowlistDenial } from "./allowlist-denial";
import { ErrorState } from "./error-state";
import { IdempotencyConflict } from "./idempotency-conflict";
import { InvalidStateAlert } from "./invalid-state-alert";
import { PausedAlert } from "./paused-alert";
import { QueueFullAlert } from "./queue-full-alert";
import { RequestIdCopy } from "./request-id-copy";
import { RetryCountdown } from "./retry-countdown";
import { TopUpPrompt } from "./top-up-prompt";

export type ErrorUiRendererProps = {
  error: unknown;
  /** Retries the failed call: the countdown calls it by itself; other states offer "Try again". */
  onRetry?: () => void;
  /** How many automatic retries already ran (the countdown backs off and stops after a few). */
  attempt?: number;
  /** queue_full: where "View unfinished jobs" leads. */
  queueHref?: string;
  /** origin_not_allowed / ip_not_allowed: the key that made the request, so "Allow" can add to it. */
  keyId?: string | null;
  onAllowed?: () => void;
  /** idempotency_conflict: offers "Use a new key". */
  onNewIdempotencyKey?: () => void;
  /** product_paused: the product's display name. */
  productName?: string;
  /** insufficient_balance: runs the blocked action again (as a new call) once the top-up covers it. */
  onTopUpResolved?: () => void;
  /** insufficient_balance: what that re-run button says, e.g. "Generate again". */
  topUpResolvedLabel?: string;
  className?: string;
};

/**
 * One error → the UI state ARCHITECTURE.md names for its code (toErrorUi(error).kind). Field errors
 * belong on their fields: a form renders those itself and passes only the rest here.
 */
export function ErrorUiRenderer({
  error,
  onRetry,
  attempt,
  queueHref = "/jobs",
  keyId,
  onAllowed,
  onNewIdempotencyKey,
  productName,
  onTopUpResolved,
  topUpResolvedLabel,
  className,
}: ErrorUiRendererProps) {
  const ui = toErrorUi(error);
  const wrap = (node: React.ReactNode) => (className ? <div className={className}>{node}</div> : node);
  switch (ui.kind) {
    case "paused":
      return wrap(<PausedAlert error={error} productName={productName} />);
    case "allowlist-denial":
      return keyId
        ? wrap(
            <AllowlistDenial
              error={error}
              keyId={keyId}
              onAllowed={onAllowed ? () => onAllowed() : undefined}
            />,
          )
        : wrap(<ErrorState error={error} onRetry={onRetry} />);
    case "retry-countdown":
      return onRetry
        ? wrap(<RetryCountdown error={error} onRetry={onRetry} attempt={attempt} />)
        : wrap(<ErrorState error={error} />);
    case "queue-full":
      return wrap(<QueueFullAlert error={error} href={queueHref} />);
    case "conflict":
      return wrap(<IdempotencyConflict error={error} onNewKey={onNewIdempotencyKey} />);
    case "invalid-state":
      return wrap(<InvalidStateAlert error={error} />);
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
            <RequestIdCopy requestId={ui.requestId} />
          </div>
          <TopUpPrompt error={error} onResolved={onTopUpResolved} resolvedLabel={topUpResolvedLabel} />
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
