"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { LoadMore } from "@/components/common/load-more";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RequestEntry } from "@/lib/api/contract/requests.schema";
import { requestQueries } from "@/lib/api/queries/requests";
import { formatDuration, formatTimestamp } from "@/lib/format";
import { isCustomerPaused } from "./paused";
import { CodeBadge, StatusBadge } from "./status-badge";
import { useRequestFilters } from "./use-request-filters";

function RequestRow({ entry, onKey }: { entry: RequestEntry; onKey: (keyId: string) => void }) {
  return (
    <TableRow>
      <TableCell className="whitespace-nowrap">
        <Link
          href={`/requests/${entry.request_id}`}
          className="underline-offset-4 hover:underline"
          aria-label={`Request ${entry.request_id}, ${entry.method} ${entry.path}, ${entry.status}`}
        >
          <LocalTime iso={entry.at} format={formatTimestamp} />
        </Link>
      </TableCell>
      <TableCell className="font-mono text-xs">{entry.method}</TableCell>
      <TableCell className="max-w-64 truncate font-mono text-xs" title={entry.path}>
        {entry.path.replace(/^\/api\/v1/, "")}
      </TableCell>
      <TableCell>
        <StatusBadge status={entry.status} />
      </TableCell>
      <TableCell>
        <span className="flex flex-wrap items-center gap-1">
          <CodeBadge code={entry.code} />
          {entry.would_refuse ? (
            <Badge
              variant="warning"
              title={`Let through, but the key's shadow allowlist would refuse it: ${entry.would_refuse}`}
            >
              Would refuse
            </Badge>
          ) : null}
        </span>
      </TableCell>
      <TableCell className="whitespace-nowrap">
        {entry.key_id ? (
          <button
            type="button"
            className="font-mono text-xs underline-offset-4 hover:underline"
            onClick={() => onKey(entry.key_id!)}
            aria-label={`Only requests with key ${entry.key_prefix ?? entry.key_id}`}
          >
            {entry.key_prefix ?? entry.key_id}…
          </button>
        ) : (
          <span className="text-xs text-muted-foreground">
            {entry.source === "console" ? "Console" : "—"}
          </span>
        )}
      </TableCell>
      <TableCell className="font-mono text-xs">{entry.ip ?? "—"}</TableCell>
      <TableCell className="max-w-48 truncate font-mono text-xs" title={entry.origin ?? undefined}>
        {entry.origin ?? "—"}
      </TableCell>
      <TableCell className="text-right text-xs whitespace-nowrap tabular-nums">
        {formatDuration(entry.duration_ms)}
      </TableCell>
    </TableRow>
  );
}

/** The filtered requests, newest first, a page at a time (its loading, error and empty states). */
export function RequestList() {
  const { filters, active, setState, clear } = useRequestFilters();
  const list = useInfiniteQuery(requestQueries.list(filters));
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];

  if (list.isPending) {
    return (
      <div className="flex flex-col gap-2" role="progressbar" aria-busy="true" aria-label="Loading requests">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-10 w-full" />
        ))}
      </div>
    );
  }
  if (list.isLoadingError) {
    return isCustomerPaused(list.error) ? null : (
      <ErrorState error={list.error} onRetry={() => void list.refetch()} />
    );
  }
  if (rows.length === 0) {
    return (
      <div className="flex flex-col items-start gap-2 rounded-lg border border-dashed p-6" role="status">
        <p className="font-medium">
          {active ? "No requests match these filters" : "No requests in this range"}
        </p>
        <p className="text-sm text-muted-foreground">
          {active
            ? "Widen the time range or clear the filters."
            : "Calls made with your API keys, and by this console, appear here within a second."}
        </p>
        {active ? (
          <Button type="button" variant="outline" size="sm" onClick={clear}>
            Clear filters
          </Button>
        ) : null}
      </div>
    );
  }
  return (
    <section aria-labelledby="request-list-title" className="flex flex-col gap-3">
      <h2 id="request-list-title" className="sr-only">
        Request list
      </h2>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Time</TableHead>
            <TableHead>Method</TableHead>
            <TableHead>Path</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Code</TableHead>
            <TableHead>Key</TableHead>
            <TableHead>IP</TableHead>
            <TableHead>Origin</TableHead>
            <TableHead className="text-right">Duration</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((entry) => (
            <RequestRow key={entry.request_id} entry={entry} onKey={(key) => void setState({ key })} />
          ))}
        </TableBody>
      </Table>
      <LoadMore query={list} />
      {list.isFetchNextPageError ? (
        <ErrorState error={list.error} onRetry={() => void list.fetchNextPage()} />
      ) : null}
    </section>
  );
}
