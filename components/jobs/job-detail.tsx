"use client";

import { NotFoundState } from "@/components/common/not-found-state";
import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, ExternalLink } from "lucide-react";
import Link from "next/link";
import { ErrorUiRenderer } from "@/components/errors/error-ui-renderer";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { useRetryAttempts } from "@/components/errors/use-retry-attempts";
import { LiveIndicator } from "@/components/providers/live-indicator";
import { useLiveStatus } from "@/components/providers/live-events";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { Job } from "@/lib/api/contract/jobs.schema";
import { ApiError } from "@/lib/api/errors";
import { isUnfinished, JOB_POLL_MS, jobQueries } from "@/lib/api/queries/jobs";
import { keyQueries } from "@/lib/api/queries/keys";
import { productQueries } from "@/lib/api/queries/products";
import { formatCredits } from "@/lib/format";
import { JobActions } from "./job-actions";
import { JobMoneyTrail } from "./job-money-trail";
import { JobOutputView } from "./job-output";
import { JobStatusBadge } from "./job-status-badge";
import { JobTimeline } from "./job-timeline";

/**
 * /jobs/[jobId]: one job — inputs, output, timeline, cost and its money trail, error, actions. Its end
 * comes from the event stream; while the stream is down, an unfinished job is re-read every 2 s.
 */
export function JobDetail({ jobId }: { jobId: string }) {
  const streaming = useLiveStatus() === "live";
  const query = useQuery({
    ...jobQueries.detail(jobId),
    retry: false,
    refetchInterval: (q) => (!streaming && q.state.data && isUnfinished(q.state.data) ? JOB_POLL_MS : false),
  });
  const [attempt, nextAttempt] = useRetryAttempts(query.dataUpdatedAt);

  if (query.isPending) {
    return (
      <>
        {/* The page's heading while the job's own (its prompt) is loading. */}
        <h1 className="sr-only">Job {jobId}</h1>
        <div className="flex flex-col gap-4" role="progressbar" aria-busy="true" aria-label="Loading job">
          <Skeleton className="h-8 w-72" />
          <Skeleton className="h-64 w-full" />
        </div>
      </>
    );
  }
  if (query.isLoadingError) {
    if (ApiError.is(query.error) && query.error.code === "not_found") return <JobNotFound jobId={jobId} />;
    return (
      <div className="flex flex-col gap-4">
        <BackLink />
        <h1 className="sr-only">Job {jobId}</h1>
        <ErrorUiRenderer
          error={query.error}
          actions={{ "retry-countdown": { attempt } }}
          onRetry={() => {
            nextAttempt();
            void query.refetch();
          }}
        />
      </div>
    );
  }
  return <JobView job={query.data} />;
}

function BackLink() {
  return (
    <Link
      href="/jobs"
      className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
    >
      <ArrowLeft className="size-4" aria-hidden />
      All jobs
    </Link>
  );
}

function JobNotFound({ jobId }: { jobId: string }) {
  return (
    <div className="flex flex-col gap-4">
      <BackLink />
      <NotFoundState title="Job not found" id={jobId} heading="h1">
        is not a job in this account. It does not exist, or it belongs to another account.
      </NotFoundState>
    </div>
  );
}

function JobView({ job }: { job: Job }) {
  const streaming = useLiveStatus() === "live";
  const products = useQuery(productQueries.list());
  const keys = useQuery(keyQueries.list());
  const product = products.data?.data.find((p) => p.id === job.product);
  const key = job.key_id ? keys.data?.data.find((k) => k.id === job.key_id) : null;
  const source = job.inputs.source_image_url ?? job.inputs.start_image_url ?? null;
  const params = Object.entries(job.inputs.params ?? {});

  return (
    <div className="flex flex-col gap-6">
      <BackLink />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex min-w-0 flex-col gap-1">
          <h1 className="text-2xl font-semibold tracking-tight break-words">
            {product?.name ?? job.product}
          </h1>
          <p className="font-mono text-xs text-muted-foreground">{job.id}</p>
        </div>
        <div className="flex flex-col items-end gap-1">
          <JobStatusBadge job={job} />
          {isUnfinished(job) ? <LiveIndicator pollMs={JOB_POLL_MS} /> : null}
        </div>
      </div>

      {job.error ? (
        <div
          role="alert"
          className="flex flex-col gap-2 rounded-lg border border-destructive/40 bg-destructive/5 p-4"
        >
          <p className="font-medium">Generation failed</p>
          <p className="text-sm">{job.error.message}</p>
          <p className="text-sm">
            {job.refunded
              ? `Its ${formatCredits(job.cost_credits)} were refunded.`
              : "Its credits are being refunded."}{" "}
            <span className="font-mono text-xs">{job.error.code}</span>
          </p>
        </div>
      ) : null}

      <JobActions job={job} />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Output</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            {job.output ? (
              <JobOutputView job={job} output={job.output} />
            ) : (
              <p className="text-sm text-muted-foreground">
                {isUnfinished(job)
                  ? "Not ready yet: this page updates by itself."
                  : "This job has no output."}
              </p>
            )}
          </CardContent>
        </Card>

        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Timeline</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <JobTimeline job={job} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Details</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
                <dt className="text-muted-foreground">Cost</dt>
                <dd className="tabular-nums">
                  {formatCredits(job.cost_credits)}
                  {job.refunded ? " (refunded)" : ""}
                </dd>
                <dt className="text-muted-foreground">Key</dt>
                <dd className="break-all">
                  {job.key_id === null
                    ? "Console session"
                    : key
                      ? `${key.name} (${key.prefix}…)`
                      : job.key_id}
                </dd>
                <dt className="text-muted-foreground">Created by</dt>
                <dd className="flex flex-col items-start gap-1">
                  {job.request_id ? (
                    <>
                      <RequestIdCopy requestId={job.request_id} />
                      <Link
                        href={`/requests/${job.request_id}`}
                        className="inline-flex items-center gap-1 underline-offset-4 hover:underline"
                      >
                        Open in the request log
                        <ExternalLink className="size-3.5" aria-hidden />
                      </Link>
                    </>
                  ) : (
                    <span className="text-muted-foreground">Unknown</span>
                  )}
                </dd>
              </dl>
            </CardContent>
          </Card>
        </div>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Inputs</h2>
          </CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-4 text-sm">
          <div className="flex flex-col gap-1">
            <span className="text-muted-foreground">Prompt</span>
            <p className="whitespace-pre-wrap break-words">{job.prompt}</p>
          </div>
          {params.length ? (
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
              {params.map(([name, value]) => (
                <div key={name} className="contents">
                  <dt className="text-muted-foreground capitalize">{name}</dt>
                  <dd className="tabular-nums">{String(value)}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          {source ? (
            <div className="flex flex-col gap-1">
              <span className="text-muted-foreground">
                {job.inputs.start_image_url ? "Start image" : "Source image"}
              </span>
              <a href={source} target="_blank" rel="noreferrer" className="w-fit">
                {/* eslint-disable-next-line @next/next/no-img-element -- the customer's own upload, shown as sent */}
                <img
                  src={source}
                  alt={job.inputs.start_image_url ? "Start image" : "Source image"}
                  className="size-32 rounded-md border object-cover"
                />
              </a>
            </div>
          ) : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Money trail</h2>
          </CardTitle>
          <CardDescription>Every credit this job moved, with your balance after each.</CardDescription>
        </CardHeader>
        <CardContent>
          <JobMoneyTrail jobId={job.id} live={isUnfinished(job) && !streaming} />
        </CardContent>
      </Card>
    </div>
  );
}
