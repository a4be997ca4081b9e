"use client";

import { AlertTriangle, PauseCircle } from "lucide-react";
import { Button } from "@/components/ui/button";
import { toErrorUi } from "@/lib/api/error-ui";
import { ApiError } from "@/lib/api/errors";
import { cn } from "@/lib/utils";
import { RequestIdCopy } from "./request-id-copy";

/** The generic error state: what happened, what to do, the code, and the request id to give support. */
export function ErrorState({
  error,
  onRetry,
  className,
}: {
  error: unknown;
  onRetry?: () => void;
  className?: string;
}) {
  const ui = toErrorUi(error);
  if (ApiError.is(error) && error.code === "account_disabled" && error.details.scope === "customer") {
    // The shell's banner already says the account is paused and what to do: one quiet line per card
    // here, not a second (third, fourth) alarm.
    return (
      <div
        role="status"
        className={cn(
          "flex flex-wrap items-center justify-between gap-2 rounded-lg border border-dashed p-4 text-sm text-muted-foreground",
          className,
        )}
      >
        <span className="flex items-center gap-2">
          <PauseCircle className="size-4 shrink-0" aria-hidden />
          Unavailable while your account is paused.
        </span>
        <RequestIdCopy requestId={ui.requestId} code={ui.code} />
      </div>
    );
  }
  return (
    <div
      role="alert"
      className={cn(
        "flex flex-col gap-3 rounded-lg border border-destructive/40 bg-destructive/5 p-4",
        className,
      )}
    >
      <div className="flex items-start gap-3">
        <AlertTriangle className="mt-0.5 size-5 shrink-0 text-destructive" aria-hidden />
        <div className="flex flex-col gap-1">
          <p className="font-medium">{ui.title}</p>
          <p className="text-sm text-muted-foreground">{ui.message}</p>
          <p className="text-sm text-muted-foreground">{ui.action}</p>
          <p className="font-mono text-xs text-muted-foreground">
            {ui.code}
            {ui.status ? ` · HTTP ${ui.status}` : ""}
          </p>
        </div>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <RequestIdCopy requestId={ui.requestId} code={ui.code} />
        {onRetry ? (
          <Button type="button" variant="outline" size="sm" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </div>
    </div>
  );
}
