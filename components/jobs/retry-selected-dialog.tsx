"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Loader2 } from "lucide-react";
import Link from "next/link";
import * as React from "react";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { newIdempotencyKey } from "@/lib/api/client";
import type { Job } from "@/lib/api/contract/jobs.schema";
import { ApiError } from "@/lib/api/errors";
import { toErrorUi } from "@/lib/api/error-ui";
import { billingQueries } from "@/lib/api/queries/billing";
import { jobQueries, retryJob } from "@/lib/api/queries/jobs";
import { formatCredits } from "@/lib/format";
import { truncate } from "./job-format";

type Outcome = { job: Job; ok: true } | { job: Job; ok: false; error: ApiError };

const CONCURRENCY = 3;

/** Runs `task` over `items`, a few at a time, keeping each item's outcome. */
async function runPool<T, R>(items: T[], task: (item: T) => Promise<R>, onEach: () => void): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
      onEach();
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}

/**
 * "Retry selected": shows what it will cost before it runs, then retries each job (each with its own
 * Idempotency-Key, kept for this dialog, so a double click never charges twice) and reports per job.
 */
export function RetrySelectedDialog({
  jobs,
  open,
  onOpenChange,
  onFinished,
}: {
  jobs: Job[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onFinished: () => void;
}) {
  const queryClient = useQueryClient();
  const balance = useQuery({ ...billingQueries.balance(), enabled: open });
  const [keys] = React.useState(() => new Map<string, string>());
  const [done, setDone] = React.useState(0);
  const total = jobs.reduce((sum, job) => sum + job.cost_credits, 0);
  const shortfall = balance.data ? total - balance.data.credits : 0;

  const run = useMutation({
    mutationFn: async (batch: Job[]) => {
      setDone(0);
      return runPool<Job, Outcome>(
        batch,
        async (job) => {
          let key = keys.get(job.id);
          if (!key) keys.set(job.id, (key = newIdempotencyKey()));
          try {
            await retryJob(job.id, { idempotencyKey: key });
            return { job, ok: true };
          } catch (error) {
            if (!ApiError.is(error)) throw error;
            return { job, ok: false, error };
          }
        },
        () => setDone((n) => n + 1),
      );
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: jobQueries.all() });
      void queryClient.invalidateQueries({ queryKey: billingQueries.balance().queryKey });
      onFinished();
    },
  });

  const outcomes = run.data;
  const failures = outcomes?.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok) ?? [];
  const retried = outcomes ? outcomes.length - failures.length : 0;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (run.isPending) return;
        if (!next) run.reset();
        onOpenChange(next);
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {outcomes
              ? "Retry finished"
              : `Retry ${jobs.length} failed ${jobs.length === 1 ? "job" : "jobs"}`}
          </DialogTitle>
          <DialogDescription>
            {outcomes
              ? `${retried} of ${outcomes.length} re-queued.`
              : "Each retry is charged again; a retry that fails is refunded again, automatically."}
          </DialogDescription>
        </DialogHeader>

        {outcomes ? (
          <div className="flex flex-col gap-3 text-sm">
            {retried > 0 ? (
              <p className="flex items-center gap-2">
                <CheckCircle2 className="size-4 text-success" aria-hidden />
                {retried} {retried === 1 ? "job is" : "jobs are"} queued again.
              </p>
            ) : null}
            {failures.length ? (
              <div role="alert" className="flex flex-col gap-2">
                <p className="font-medium">{failures.length} could not be retried:</p>
                <ul className="flex max-h-64 flex-col gap-2 overflow-y-auto">
                  {failures.map(({ job, error }) => {
                    const ui = toErrorUi(error);
                    return (
                      <li key={job.id} className="flex flex-col gap-1 rounded-md border p-2">
                        <Link
                          href={`/jobs/${job.id}`}
                          className="font-medium underline-offset-4 hover:underline"
                        >
                          {truncate(job.prompt, 60)}
                        </Link>
                        <span>
                          {ui.title}: {ui.message}
                        </span>
                        <RequestIdCopy requestId={ui.requestId} code={ui.code} />
                      </li>
                    );
                  })}
                </ul>
              </div>
            ) : null}
          </div>
        ) : (
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
            <dt className="text-muted-foreground">Jobs</dt>
            <dd className="tabular-nums">{jobs.length}</dd>
            <dt className="text-muted-foreground">Cost</dt>
            <dd className="font-medium tabular-nums" data-testid="retry-cost">
              {formatCredits(total)}
            </dd>
            <dt className="text-muted-foreground">Balance</dt>
            <dd className="tabular-nums">
              {balance.data ? formatCredits(balance.data.credits) : balance.isError ? "unavailable" : "…"}
            </dd>
            {shortfall > 0 ? (
              <dd className="col-span-2 text-destructive">
                Not enough credits for all of them: {formatCredits(shortfall)} short. The ones that do not fit
                will be refused, and nothing is charged for them.
              </dd>
            ) : null}
          </dl>
        )}

        <DialogFooter>
          {outcomes ? (
            <Button type="button" onClick={() => onOpenChange(false)}>
              Close
            </Button>
          ) : (
            <>
              <Button
                type="button"
                variant="outline"
                disabled={run.isPending}
                onClick={() => onOpenChange(false)}
              >
                Cancel
              </Button>
              <Button
                type="button"
                disabled={run.isPending || jobs.length === 0}
                onClick={() => run.mutate(jobs)}
              >
                {run.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
                {run.isPending
                  ? `Retrying ${done} of ${jobs.length}…`
                  : `Retry ${jobs.length} for ${formatCredits(total)}`}
              </Button>
            </>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
