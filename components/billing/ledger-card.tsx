"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import * as React from "react";
import { ErrorState } from "@/components/errors/error-state";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { LedgerEntry, LedgerEntryKind } from "@/lib/api/contract/billing.schema";
import { billingQueries, LEDGER_PAGE_SIZE } from "@/lib/api/queries/billing";
import { formatCount, formatSignedCredits, LEDGER_KIND_LABEL } from "@/lib/format";
import { cn } from "@/lib/utils";
import { LocalTime } from "@/components/common/local-time";

const KIND_VARIANT: Record<LedgerEntryKind, BadgeProps["variant"]> = {
  top_up: "success",
  job_charge: "secondary",
  job_refund: "outline",
  adjustment: "outline",
};

/** Every credit movement, newest first, in keyset pages (a stack of cursors makes "Newer" work). */
export function LedgerCard() {
  // cursors[i] is the cursor of page i; page 0 is the newest (no cursor).
  const [cursors, setCursors] = React.useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  const ledger = useQuery({
    ...billingQueries.ledger(cursors[page]!),
    placeholderData: keepPreviousData,
  });
  const next = ledger.data?.next_cursor ?? null;

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Ledger</h2>
        </CardTitle>
        <CardDescription>Every credit movement, newest first. The balance is their sum.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        {ledger.isPending ? (
          <div
            className="flex flex-col gap-2"
            role="progressbar"
            aria-busy="true"
            aria-label="Loading ledger"
          >
            {Array.from({ length: 5 }, (_, i) => (
              <Skeleton key={i} className="h-9 w-full" />
            ))}
          </div>
        ) : ledger.isLoadingError ? (
          <ErrorState error={ledger.error} onRetry={() => void ledger.refetch()} />
        ) : ledger.data.data.length === 0 && page === 0 ? (
          <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">
            No credit movements yet. Top-ups, job charges and refunds appear here.
          </p>
        ) : (
          <Table aria-label="Ledger entries" className={cn(ledger.isPlaceholderData && "opacity-60")}>
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>Type</TableHead>
                <TableHead>Details</TableHead>
                <TableHead className="text-right">Credits</TableHead>
                <TableHead className="text-right">Balance after</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {ledger.data.data.map((entry) => (
                <LedgerRow key={entry.id} entry={entry} />
              ))}
            </TableBody>
          </Table>
        )}
        {ledger.data && (page > 0 || next) ? (
          <nav aria-label="Ledger pages" className="flex items-center justify-between gap-2">
            <p className="text-xs text-muted-foreground">
              Page {page + 1} · {LEDGER_PAGE_SIZE} per page
            </p>
            <div className="flex gap-2">
              <Button
                type="button"
                variant="outline"
                size="sm"
                disabled={page === 0}
                onClick={() => setCursors((c) => c.slice(0, -1))}
              >
                <ChevronLeft aria-hidden />
                Newer
              </Button>
              <Button
                type="button"
                variant="outline"
                size="sm"
                disabled={!next || ledger.isPlaceholderData}
                onClick={() => next && setCursors((c) => [...c, next])}
              >
                Older
                <ChevronRight aria-hidden />
              </Button>
            </div>
          </nav>
        ) : null}
      </CardContent>
    </Card>
  );
}

function LedgerRow({ entry }: { entry: LedgerEntry }) {
  return (
    <TableRow>
      <TableCell className="whitespace-nowrap text-muted-foreground">
        <LocalTime iso={entry.created_at} />
      </TableCell>
      <TableCell>
        <Badge variant={KIND_VARIANT[entry.kind]}>{LEDGER_KIND_LABEL[entry.kind]}</Badge>
      </TableCell>
      <TableCell className="max-w-[22rem]">
        <Details entry={entry} />
      </TableCell>
      <TableCell
        className={cn(
          "text-right font-medium tabular-nums",
          entry.credits > 0 ? "text-success" : "text-foreground",
        )}
      >
        {formatSignedCredits(entry.credits)}
      </TableCell>
      <TableCell className="text-right tabular-nums">{formatCount(entry.balance_after)}</TableCell>
    </TableRow>
  );
}

function Details({ entry }: { entry: LedgerEntry }) {
  if (entry.top_up_id) {
    return (
      <span className="flex flex-col">
        <Link
          href={`/billing/top-ups/${entry.top_up_id}`}
          className="font-mono text-xs underline-offset-4 hover:underline"
        >
          {entry.top_up_id}
        </Link>
        {entry.note ? <span className="text-xs text-muted-foreground">{entry.note}</span> : null}
        {entry.job_id ? (
          // An auto-recharge: the job whose charge left the balance under the threshold.
          <span className="text-xs text-muted-foreground">
            after{" "}
            <Link href={`/jobs/${entry.job_id}`} className="font-mono underline-offset-4 hover:underline">
              {entry.job_id}
            </Link>
          </span>
        ) : null}
      </span>
    );
  }
  if (entry.job_id) {
    return (
      <span className="flex flex-col">
        <Link href={`/jobs/${entry.job_id}`} className="font-mono text-xs underline-offset-4 hover:underline">
          {entry.job_id}
        </Link>
        {entry.product_id ? <span className="text-xs text-muted-foreground">{entry.product_id}</span> : null}
      </span>
    );
  }
  return <span className="text-xs text-muted-foreground">{entry.note ?? "—"}</span>;
}
