"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { LoadMore } from "@/components/common/load-more";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CustomerAuditEntry } from "@/lib/api/contract/audit.schema";
import { auditQueries } from "@/lib/api/queries/audit";
import { formatTimestamp } from "@/lib/format";
import { AuditFilters } from "./audit-filters";
import { AuditActor, AuditChanges, AuditRequest, AuditWhat } from "./audit-entry-parts";
import { useAuditFilters } from "./use-audit-filters";

function EntryTable({ rows, canOpen }: { rows: CustomerAuditEntry[]; canOpen: boolean }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>When</TableHead>
          <TableHead>Who</TableHead>
          <TableHead>What</TableHead>
          <TableHead>Change</TableHead>
          <TableHead>Request</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((entry) => (
          <TableRow key={entry.id} className="align-top">
            <TableCell className="text-xs whitespace-nowrap">
              <LocalTime iso={entry.at} format={formatTimestamp} />
            </TableCell>
            <TableCell className="max-w-56 min-w-40 whitespace-normal">
              <AuditActor entry={entry} />
            </TableCell>
            <TableCell className="max-w-72 min-w-48 whitespace-normal">
              <AuditWhat entry={entry} />
            </TableCell>
            <TableCell className="max-w-96 min-w-56 whitespace-normal">
              <AuditChanges entry={entry} />
            </TableCell>
            <TableCell className="max-w-52 min-w-44 whitespace-normal">
              <AuditRequest entry={entry} canOpen={canOpen} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Narrow screens: one card per entry, the same parts stacked (a five-column table doesn't fit). */
function EntryCards({ rows, canOpen }: { rows: CustomerAuditEntry[]; canOpen: boolean }) {
  return (
    <ul className="flex flex-col gap-3">
      {rows.map((entry) => (
        <li key={entry.id} className="flex flex-col gap-2 rounded-lg border p-3">
          <div className="flex items-start justify-between gap-2">
            <AuditWhat entry={entry} />
            <span className="text-xs whitespace-nowrap text-muted-foreground">
              <LocalTime iso={entry.at} format={formatTimestamp} />
            </span>
          </div>
          <AuditActor entry={entry} />
          <AuditChanges entry={entry} />
          <AuditRequest entry={entry} canOpen={canOpen} />
        </li>
      ))}
    </ul>
  );
}

function AuditEntries({ canOpenRequests }: { canOpenRequests: boolean }) {
  const { filters, active, clear } = useAuditFilters();
  const list = useInfiniteQuery(auditQueries.list(filters));
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];

  if (list.isPending) {
    return (
      <div
        className="flex flex-col gap-2"
        role="progressbar"
        aria-busy="true"
        aria-label="Loading the audit log"
      >
        {Array.from({ length: 5 }, (_, i) => (
          <Skeleton key={i} className="h-14 w-full" />
        ))}
      </div>
    );
  }
  if (list.isLoadingError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (rows.length === 0) {
    return (
      <div className="flex flex-col items-start gap-2 rounded-lg border border-dashed p-6" role="status">
        <p className="font-medium">{active ? "No changes match these filters" : "No changes yet"}</p>
        <p className="text-sm text-muted-foreground">
          {active
            ? "Widen the dates or clear the filters."
            : "Keys, allowlists, billing settings, top-ups, webhook endpoints and members: every change appears here with who made it."}
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
    <section aria-labelledby="audit-list-title" className="flex flex-col gap-3">
      <h2 id="audit-list-title" className="sr-only">
        Changes
      </h2>
      <div className="hidden md:block">
        <EntryTable rows={rows} canOpen={canOpenRequests} />
      </div>
      <div className="md:hidden">
        <EntryCards rows={rows} canOpen={canOpenRequests} />
      </div>
      <LoadMore query={list} />
      {list.isFetchNextPageError ? (
        <ErrorState error={list.error} onRetry={() => void list.fetchNextPage()} />
      ) : null}
    </section>
  );
}

/** The account's audit log: every change, who made it, before → after, and the request. */
export function AuditLogView({ canOpenRequests }: { canOpenRequests: boolean }) {
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <p className="text-sm text-muted-foreground">
          Every change to this account, newest first: who made it, what changed, and the request that made it.
          Support staff&apos;s actions on the account are listed with their reason.
        </p>
      </div>
      <AuditFilters />
      <AuditEntries canOpenRequests={canOpenRequests} />
    </div>
  );
}
