"use client";

import { CloudOff, Loader2 } from "lucide-react";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { toErrorUi } from "@/lib/api/error-ui";
import { retryDelay } from "@/lib/api/retry";
import { cn } from "@/lib/utils";
import { RequestIdCopy } from "./request-id-copy";

/** After this many automatic attempts the countdown stops and offers "Try again" instead. */
export const MAX_AUTO_RETRIES = 5;

/**
 * rate_limited, rate_limiter_unavailable, service_unavailable and network failures: says what is wrong,
 * counts down ("Retrying in N s", role="status") honouring Retry-After or exponential backoff with
 * jitter, then calls `onRetry` by itself. `attempt` is how many retries already ran (0 for the first).
 */
export function RetryCountdown(props: RetryCountdownProps) {
  // A new error (the next failed attempt) starts a fresh countdown.
  return <Countdown key={identity(props.error)} {...props} />;
}

type RetryCountdownProps = {
  error: unknown;
  onRetry: () => void;
  attempt?: number;
  className?: string;
};

const ids = new WeakMap<object, number>();
let nextId = 0;
function identity(error: unknown): number {
  if (typeof error !== "object" || error === null) return 0;
  let id = ids.get(error);
  if (id === undefined) {
    id = ++nextId;
    ids.set(error, id);
  }
  return id;
}

function Countdown({ error, onRetry, attempt = 0, className }: RetryCountdownProps) {
  const ui = toErrorUi(error);
  const exhausted = attempt >= MAX_AUTO_RETRIES;
  // One delay per error (a new error restarts the countdown); jitter is drawn once, not every render.
  const [deadline] = React.useState(() => Date.now() + retryDelay(attempt, error));
  const [now, setNow] = React.useState(() => Date.now());
  const remaining = Math.max(0, Math.ceil((deadline - now) / 1000));
  const fired = React.useRef(false);
  const retry = React.useRef(onRetry);
  React.useEffect(() => {
    retry.current = onRetry;
  });

  React.useEffect(() => {
    if (exhausted) return;
    const tick = () => {
      const t = Date.now();
      setNow(t);
      if (t >= deadline && !fired.current) {
        fired.current = true;
        retry.current();
      }
    };
    const id = window.setInterval(tick, 250);
    return () => window.clearInterval(id);
  }, [deadline, exhausted]);

  const limit = ui.code === "rate_limited" ? describeLimit(ui.details) : null;

  return (
    <div
      data-slot="retry-countdown"
      className={cn(
        "flex flex-col gap-2 rounded-lg border border-warning/60 bg-warning/10 p-4 text-sm",
        className,
      )}
    >
      <div className="flex items-start gap-3">
        <CloudOff className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
        <div className="flex min-w-0 flex-col gap-1">
          <p className="font-medium">{ui.title}</p>
          <p>{ui.message}</p>
          {limit ? <p>{limit}</p> : null}
          {exhausted ? (
            <p role="status">Stopped retrying after {attempt} attempts.</p>
          ) : remaining > 0 ? (
            <p role="status" className="font-medium tabular-nums">
              Retrying in {remaining} s
            </p>
          ) : (
            <p role="status" className="flex items-center gap-1.5 font-medium">
              <Loader2 className="size-3.5 animate-spin" aria-hidden />
              Retrying now…
            </p>
          )}
        </div>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <RequestIdCopy requestId={ui.requestId} code={ui.code} />
        {exhausted ? (
          <Button type="button" variant="outline" size="sm" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function describeLimit(details: Record<string, unknown>): string | null {
  const { limit, window_seconds: window } = details;
  if (typeof limit !== "number" || typeof window !== "number") return null;
  return `The limit is ${limit} requests per ${window} s.`;
}
