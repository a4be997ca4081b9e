"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorState } from "@/components/errors/error-state";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { isErrorCode } from "@/lib/api/contract/error-codes";
import { ERROR_UI } from "@/lib/api/error-ui";
import { requestQueries, TIME_RANGES } from "@/lib/api/queries/requests";
import { cn } from "@/lib/utils";
import { isCustomerPaused, PausedNote } from "./paused";
import { useRequestFilters } from "./use-request-filters";
import { formatCount } from "@/lib/format";

/** "What keeps failing?": the range's error codes with counts; one click filters the list by it. */
export function FailingCodes() {
  const { state, setState } = useRequestFilters();
  const summary = useQuery(requestQueries.summary(state.range));
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>What keeps failing?</h2>
        </CardTitle>
        <CardDescription>
          Error codes in the {TIME_RANGES[state.range].label.toLowerCase()}, most frequent first.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {summary.isPending ? (
          <div className="flex gap-2" role="progressbar" aria-busy="true" aria-label="Loading error counts">
            <Skeleton className="h-16 w-48" />
            <Skeleton className="h-16 w-48" />
          </div>
        ) : summary.isLoadingError ? (
          isCustomerPaused(summary.error) ? (
            <PausedNote />
          ) : (
            <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
          )
        ) : (
          <div className="flex flex-col gap-3">
            <p className="text-sm text-muted-foreground" data-testid="summary-totals">
              {formatCount(summary.data.total)} requests: {formatCount(summary.data.by_class["2xx"])}{" "}
              succeeded, {formatCount(summary.data.by_class["4xx"])} refused (4xx),{" "}
              {formatCount(summary.data.by_class["5xx"])} failed on our side (5xx).
            </p>
            {summary.data.codes.length === 0 ? (
              <p className="text-sm">No errors in this range.</p>
            ) : (
              <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3" aria-label="Error codes with counts">
                {summary.data.codes.map((c) => {
                  const selected = state.code === c.code;
                  return (
                    <li key={c.code}>
                      <button
                        type="button"
                        aria-pressed={selected}
                        onClick={() => void setState({ code: selected ? null : c.code })}
                        className={cn(
                          "flex w-full items-center justify-between gap-3 rounded-md border p-3 text-left transition-colors hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none",
                          selected && "border-primary bg-accent",
                        )}
                      >
                        <span className="flex min-w-0 flex-col">
                          <span className="truncate font-mono text-sm">{c.code}</span>
                          <span className="truncate text-xs text-muted-foreground">
                            {isErrorCode(c.code) ? ERROR_UI[c.code].title : `HTTP ${c.status}`}
                          </span>
                        </span>
                        <span className="text-lg font-semibold tabular-nums">{formatCount(c.count)}</span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
