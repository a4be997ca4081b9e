"use client";

import type * as React from "react";
import { ErrorUiRenderer } from "@/components/errors/error-ui-renderer";
import type { Job } from "@/lib/api/contract/jobs.schema";
import type { PastedKey } from "@/lib/api/queries/jobs";
import { useLiveJob } from "./use-live-job";

/** How the created job is shown (composed in app/: the jobs feature renders it). */
export type RenderJob = (job: Job, pastedKey: PastedKey | undefined) => React.ReactNode;

/** The job the playground just created, kept up to date until it finishes. */
export function LiveJob({
  created,
  pastedKey,
  render,
}: {
  created: Job;
  pastedKey: PastedKey | undefined;
  render: RenderJob;
}) {
  const live = useLiveJob(created, pastedKey);
  return (
    <div className="flex flex-col gap-3">
      {live.job ? render(live.job, pastedKey) : null}
      {live.readWithSession ? (
        <p className="text-xs text-muted-foreground">
          Progress is read with this console session: a browser sends no Origin on a same-site read, and this
          key accepts only its listed origins.
        </p>
      ) : null}
      {live.error ? <ErrorUiRenderer error={live.error} onRetry={live.refetch} /> : null}
    </div>
  );
}
