"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Loader2, RotateCcw, XCircle } from "lucide-react";
import { ErrorUiRenderer } from "@/components/errors/error-ui-renderer";
import { useRetryAttempts } from "@/components/errors/use-retry-attempts";
import { Button } from "@/components/ui/button";
import { CANCELABLE_FROM, RETRYABLE_FROM } from "@/lib/api/contract/constants";
import type { Job } from "@/lib/api/contract/jobs.schema";
import { billingQueries } from "@/lib/api/queries/billing";
import { cancelJob, jobQueries, type PastedKey, retryJob } from "@/lib/api/queries/jobs";
import { idempotencyKeyFor } from "@/lib/api/query-client";
import { formatCredits } from "@/lib/format";

type Action = "retry" | "cancel";
type Vars = { action: Action };

/**
 * Retry (failed jobs only) and Cancel (queued only). A 409 invalid_state — the job moved on while the
 * button was on screen — is shown inline, like every other error, never as a crash.
 */
export function JobActions({ job, pastedKey }: { job: Job; pastedKey?: PastedKey }) {
  const queryClient = useQueryClient();
  const act = useMutation({
    meta: { pastedKey: Boolean(pastedKey) },
    // 429/503 are retried in view, by the countdown, not silently.
    retry: false,
    // The vars object is new per click, so each click has its own Idempotency-Key (reused by its retries).
    mutationFn: (vars: Vars) => {
      const options = { idempotencyKey: idempotencyKeyFor(vars), apiKey: pastedKey?.secret };
      return vars.action === "retry" ? retryJob(job.id, options) : cancelJob(job.id, options);
    },
    // invalid_state means the job moved on: show where it is now next to the explanation.
    onError: () => void queryClient.invalidateQueries({ queryKey: [...jobQueries.details(), job.id] }),
    onSuccess: (updated) => {
      queryClient.setQueryData(jobQueries.detail(updated.id, pastedKey).queryKey, updated);
      void queryClient.invalidateQueries({ queryKey: [...jobQueries.details(), updated.id] });
      void queryClient.invalidateQueries({ queryKey: jobQueries.lists() });
      void queryClient.invalidateQueries({ queryKey: billingQueries.balance().queryKey });
    },
  });

  const [attempt, nextAttempt] = useRetryAttempts(act.data);
  const canRetry = (RETRYABLE_FROM as readonly string[]).includes(job.status);
  const canCancel = (CANCELABLE_FROM as readonly string[]).includes(job.status);
  if (!canRetry && !canCancel && !act.error) return null;
  const pending = act.isPending ? act.variables.action : null;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2">
        {canRetry ? (
          <Button type="button" disabled={act.isPending} onClick={() => act.mutate({ action: "retry" })}>
            {pending === "retry" ? (
              <Loader2 className="animate-spin" aria-hidden />
            ) : (
              <RotateCcw aria-hidden />
            )}
            Retry
          </Button>
        ) : null}
        {canCancel ? (
          <Button
            type="button"
            variant="outline"
            disabled={act.isPending}
            onClick={() => act.mutate({ action: "cancel" })}
          >
            {pending === "cancel" ? (
              <Loader2 className="animate-spin" aria-hidden />
            ) : (
              <XCircle aria-hidden />
            )}
            Cancel
          </Button>
        ) : null}
        {canRetry ? (
          <span className="self-center text-sm text-muted-foreground">
            A retry is charged {formatCredits(job.cost_credits)} again.
          </span>
        ) : canCancel ? (
          <span className="self-center text-sm text-muted-foreground">
            Canceling refunds its {formatCredits(job.cost_credits)}.
          </span>
        ) : null}
      </div>
      {act.error ? (
        <ErrorUiRenderer
          error={act.error}
          actions={{ "retry-countdown": { attempt } }}
          onRetry={
            act.variables
              ? () => {
                  nextAttempt();
                  act.mutate(act.variables!);
                }
              : undefined
          }
        />
      ) : null}
    </div>
  );
}
