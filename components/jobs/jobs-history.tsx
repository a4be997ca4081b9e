"use client";

import { LoadMore } from "@/components/common/load-more";
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import type { RowSelectionState } from "@tanstack/react-table";
import { Download, Loader2, RotateCcw } from "lucide-react";
import Link from "next/link";
import * as React from "react";
import { ErrorUiRenderer } from "@/components/errors/error-ui-renderer";
import { useRetryAttempts } from "@/components/errors/use-retry-attempts";
import { LiveIndicator } from "@/components/providers/live-indicator";
import { useLiveStatus } from "@/components/providers/live-events";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { Job, JobList } from "@/lib/api/contract/jobs.schema";
import {
  fetchAllFailed,
  isUnfinished,
  JOB_POLL_MS,
  jobQueries,
  jobsExportHref,
} from "@/lib/api/queries/jobs";
import { keyQueries } from "@/lib/api/queries/keys";
import { productQueries } from "@/lib/api/queries/products";
import { formatCredits } from "@/lib/format";
import { JobsFilterBar } from "./jobs-filter-bar";
import { JobsTable, type JobsTableLookups } from "./jobs-table";
import { useJobFilters } from "./use-job-filters";
import { lazyNamed } from "@/lib/lazy";

// Opened only after a selection: out of /jobs' first-load JavaScript (the 120 kB gate; the route was at
// 120.2 kB with it).
const RetrySelectedDialog = lazyNamed(() => import("./retry-selected-dialog"), "RetrySelectedDialog");

const NO_JOBS: Job[] = [];

function hasUnfinished(data: { pages: JobList[] } | undefined): boolean {
  return Boolean(data?.pages.some((page) => page.data.some(isUnfinished)));
}

type Selection = { filters: string; rows: RowSelectionState; allFailed: Job[] | null };

/**
 * /jobs: the filtered history. The event stream brings each job's end (and a job made elsewhere) into
 * the loaded rows; while the stream is down, the list is re-read every 2 s while an unfinished job is
 * listed. A job's start (queued → running) is no event: with the stream live a row goes from Queued
 * straight to its end.
 */
export function JobsHistory() {
  const { search, setSearch, filters, active } = useJobFilters();
  const streaming = useLiveStatus() === "live";
  const list = useInfiniteQuery({
    ...jobQueries.list(filters),
    // A first load or "Load more" that fails is shown (with a countdown for 429/503), not retried out of
    // sight; a failed poll is a toast and the next poll tries again.
    retry: false,
    // Without the stream, poll while an unfinished job is listed; React Query pauses it while the tab is hidden.
    refetchInterval: (query) => (!streaming && hasUnfinished(query.state.data) ? JOB_POLL_MS : false),
  });
  const [attempt, nextAttempt] = useRetryAttempts(list.dataUpdatedAt);
  const products = useQuery(productQueries.list());
  const keys = useQuery(keyQueries.list());

  const jobs = React.useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? NO_JOBS, [list.data]);
  const unfinished = hasUnfinished(list.data);

  const lookups = React.useMemo<JobsTableLookups>(() => {
    const productNames = new Map(products.data?.data.map((p) => [p.id, p.name]));
    const keyNames = new Map(keys.data?.data.map((k) => [k.id, `${k.name} (${k.prefix}…)`]));
    return {
      productName: (id) => productNames.get(id) ?? id,
      keyLabel: (id) => (id === null ? "Console" : (keyNames.get(id) ?? id)),
    };
  }, [products.data, keys.data]);

  // Selection belongs to one filtered view: changing a filter starts it afresh.
  const filtersKey = JSON.stringify(filters);
  const [selection, setSelection] = React.useState<Selection>({
    filters: filtersKey,
    rows: {},
    allFailed: null,
  });
  const current =
    selection.filters === filtersKey ? selection : { filters: filtersKey, rows: {}, allFailed: null };
  const setRows: React.Dispatch<React.SetStateAction<RowSelectionState>> = (update) =>
    setSelection({
      filters: filtersKey,
      rows: typeof update === "function" ? update(current.rows) : update,
      allFailed: null,
    });
  const selected = current.allFailed ?? jobs.filter((job) => current.rows[job.id] && job.status === "failed");
  const selectedCost = selected.reduce((sum, job) => sum + job.cost_credits, 0);

  const allFailed = useMutation({
    mutationFn: () => fetchAllFailed(filters),
    onSuccess: (failed) => setSelection({ filters: filtersKey, rows: {}, allFailed: failed }),
  });
  const [dialogOpen, setDialogOpen] = React.useState(false);
  // One batch per "Retry selected": its Idempotency-Keys live as long as its dialog, no longer.
  const [batch, setBatch] = React.useState<{ id: number; jobs: Job[] }>({ id: 0, jobs: NO_JOBS });
  const canHaveFailed = !filters.status || filters.status === "failed";

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Jobs</h1>
          <p className="text-sm text-muted-foreground">
            Every generation, newest first. Open one to see its output, timeline and what it cost.
          </p>
          <LiveIndicator pollMs={JOB_POLL_MS} polling={unfinished} />
        </div>
        <div className="flex flex-wrap gap-2">
          <Button asChild variant="outline">
            <a href={jobsExportHref(filters)} download>
              <Download aria-hidden />
              Export CSV
            </a>
          </Button>
          <Button asChild>
            <Link href="/playground">New job</Link>
          </Button>
        </div>
      </div>

      <JobsFilterBar
        search={search}
        onChange={(patch) => void setSearch(patch)}
        active={active}
        products={products.data?.data.map((p) => ({ value: p.id, label: p.name })) ?? []}
        keys={keys.data?.data.map((k) => ({ value: k.id, label: `${k.name} (${k.prefix}…)` })) ?? []}
      />

      {canHaveFailed && jobs.length > 0 ? (
        <div
          role="group"
          aria-label="Selection"
          className="flex flex-wrap items-center gap-3 rounded-lg border bg-muted/30 px-3 py-2 text-sm"
        >
          <span className="tabular-nums" aria-live="polite">
            {current.allFailed
              ? `All ${selected.length} failed jobs in this filter selected`
              : `${selected.length} selected`}
            {selected.length ? ` · ${formatCredits(selectedCost)} to retry` : ""}
          </span>
          <Button
            type="button"
            variant="outline"
            size="sm"
            disabled={allFailed.isPending}
            onClick={() => allFailed.mutate()}
          >
            {allFailed.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
            Select all failed in this filter
          </Button>
          {selected.length ? (
            <Button type="button" variant="ghost" size="sm" onClick={() => setRows({})}>
              Clear selection
            </Button>
          ) : null}
          <Button
            type="button"
            size="sm"
            className="ml-auto"
            disabled={selected.length === 0}
            onClick={() => {
              setBatch((b) => ({ id: b.id + 1, jobs: selected }));
              setDialogOpen(true);
            }}
          >
            <RotateCcw aria-hidden />
            Retry selected
          </Button>
        </div>
      ) : null}
      {allFailed.error ? (
        <ErrorUiRenderer error={allFailed.error} onRetry={() => allFailed.mutate()} />
      ) : null}

      {list.isPending ? (
        <Card>
          <CardContent
            className="flex flex-col gap-2"
            role="progressbar"
            aria-busy="true"
            aria-label="Loading jobs"
          >
            {Array.from({ length: 6 }, (_, i) => (
              <Skeleton key={i} className="h-10 w-full" />
            ))}
          </CardContent>
        </Card>
      ) : list.isLoadingError ? (
        <ErrorUiRenderer
          error={list.error}
          actions={{ "retry-countdown": { attempt } }}
          onRetry={() => {
            nextAttempt();
            void list.refetch();
          }}
        />
      ) : jobs.length === 0 ? (
        <EmptyJobs filtered={active} onClear={() => void setSearch(null)} />
      ) : (
        <Card className="py-0">
          <CardContent className="px-0">
            <JobsTable
              jobs={jobs}
              lookups={lookups}
              rowSelection={current.rows}
              onRowSelectionChange={setRows}
            />
          </CardContent>
        </Card>
      )}

      {list.isFetchNextPageError ? (
        <ErrorUiRenderer
          error={list.error}
          actions={{ "retry-countdown": { attempt } }}
          onRetry={() => {
            nextAttempt();
            void list.refetch();
          }}
        />
      ) : null}

      <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
        <span>{jobs.length > 0 ? `${jobs.length} shown` : null}</span>
        <LoadMore query={list} />
      </div>

      <React.Suspense fallback={null}>
        <RetrySelectedDialog
          key={batch.id}
          jobs={batch.jobs}
          open={dialogOpen}
          onOpenChange={setDialogOpen}
          onFinished={() => setRows({})}
        />
      </React.Suspense>
    </div>
  );
}

function EmptyJobs({ filtered, onClear }: { filtered: boolean; onClear: () => void }) {
  return (
    <Card>
      <CardContent className="flex flex-col items-center gap-3 py-10 text-center">
        <p className="font-medium">{filtered ? "No jobs match these filters" : "No jobs yet"}</p>
        <p className="max-w-md text-sm text-muted-foreground">
          {filtered
            ? "Try another status, product, key or date range."
            : "Run one from the playground, or call POST /api/v1/jobs with a key."}
        </p>
        {filtered ? (
          <Button type="button" variant="outline" onClick={onClear}>
            Clear filters
          </Button>
        ) : (
          <Button asChild>
            <Link href="/playground">Open the playground</Link>
          </Button>
        )}
      </CardContent>
    </Card>
  );
}
