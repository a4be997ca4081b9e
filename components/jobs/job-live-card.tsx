"use client";

import { ExternalLink } from "lucide-react";
import Link from "next/link";
import type { Job } from "@/lib/api/contract/jobs.schema";
import { isUnfinished, type PastedKey } from "@/lib/api/queries/jobs";
import { formatCredits } from "@/lib/format";
import { JobActions } from "./job-actions";
import { JobOutputView } from "./job-output";
import { JobStatusBadge } from "./job-status-badge";
import { LiveDuration } from "./live-duration";

/** A job as it happens (the playground's result): live status, then the output or the failure. */
export function JobLiveCard({ job, pastedKey }: { job: Job; pastedKey?: PastedKey }) {
  const unfinished = isUnfinished(job);
  return (
    <div className="flex flex-col gap-4" data-testid="job-live-card">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <JobStatusBadge job={job} />
        <Link
          href={`/jobs/${job.id}`}
          className="inline-flex items-center gap-1 text-sm underline-offset-4 hover:underline"
        >
          Open job page
          <ExternalLink className="size-3.5" aria-hidden />
        </Link>
      </div>
      <p className="font-mono text-xs text-muted-foreground">{job.id}</p>

      {unfinished ? (
        <div className="flex flex-col gap-2">
          <div
            role="progressbar"
            aria-label={job.status === "queued" ? "Waiting in the queue" : "Generating"}
            aria-valuetext={job.status === "queued" ? "Queued" : "Running"}
            className="h-1.5 w-full overflow-hidden rounded-full bg-muted"
          >
            <div className="h-full w-1/3 animate-pulse rounded-full bg-primary" />
          </div>
          <p className="text-sm text-muted-foreground">
            {job.status === "queued" ? (
              "Queued: it starts as soon as a worker is free."
            ) : (
              <>
                Running for <LiveDuration job={job} />
                {job.attempts > 1 ? ` (attempt ${job.attempts})` : ""}…
              </>
            )}
          </p>
        </div>
      ) : null}

      {job.output ? <JobOutputView job={job} output={job.output} /> : null}

      {job.error ? (
        <div
          role="alert"
          className="flex flex-col gap-1 rounded-lg border border-destructive/40 bg-destructive/5 p-3"
        >
          <p className="font-medium">Generation failed</p>
          <p className="text-sm">{job.error.message}</p>
          <p className="text-sm">
            {job.refunded
              ? `Its ${formatCredits(job.cost_credits)} were refunded.`
              : "Its credits are being refunded."}
          </p>
        </div>
      ) : null}

      <JobActions job={job} pastedKey={pastedKey} />

      <p className="text-sm text-muted-foreground">
        Cost {formatCredits(job.cost_credits)}
        {job.refunded ? " (refunded)" : ""} · {job.attempts} {job.attempts === 1 ? "attempt" : "attempts"}
      </p>
    </div>
  );
}
