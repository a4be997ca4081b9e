"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { LocalTime } from "@/components/common/local-time";
import { ErrorUiRenderer } from "@/components/errors/error-ui-renderer";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { LedgerEntry } from "@/lib/api/contract/billing.schema";
import { jobQueries } from "@/lib/api/queries/jobs";
import { formatCredits, formatSignedCredits, formatTimestamp, LEDGER_KIND_LABEL } from "@/lib/format";
import { cn } from "@/lib/utils";

function describe(row: LedgerEntry, chargeIndex: number): string {
  switch (row.kind) {
    case "job_charge":
      return chargeIndex === 0 ? "Charged" : "Charged again (retry)";
    case "job_refund":
      return "Refunded";
    case "top_up":
      // An auto-recharge this job's charge started (its note names the pack).
      return row.note ?? LEDGER_KIND_LABEL.top_up;
    case "adjustment":
      return row.note ? `${LEDGER_KIND_LABEL.adjustment}: ${row.note}` : LEDGER_KIND_LABEL.adjustment;
  }
}

/**
 * The job's ledger rows, oldest first: charged, refunded, re-charged on retry — each with the balance
 * after. `live`: re-read every 4 s (an unfinished job while the event stream is down; with the stream,
 * the job's event re-reads it).
 */
export function JobMoneyTrail({ jobId, live }: { jobId: string; live: boolean }) {
  const ledger = useQuery({
    ...jobQueries.ledger(jobId),
    refetchInterval: live ? 4_000 : false,
  });
  if (ledger.isPending) return <Skeleton className="h-24 w-full" />;
  if (ledger.isLoadingError)
    return <ErrorUiRenderer error={ledger.error} onRetry={() => void ledger.refetch()} />;
  if (ledger.data.length === 0)
    return <p className="text-sm text-muted-foreground">No credit movements yet.</p>;
  let charges = 0;
  const rows = ledger.data.map((row) => ({
    row,
    label: describe(row, row.kind === "job_charge" ? charges++ : 0),
  }));
  // Spent = minus the charges' and refunds' sum (and never "-0"); a recharge it started is not its cost.
  const spent = -ledger.data.reduce((sum, row) => sum + (row.kind === "top_up" ? 0 : row.credits), 0) || 0;
  return (
    <div className="flex flex-col gap-2">
      <Table aria-label="Money trail">
        <TableHeader>
          <TableRow>
            <TableHead>When</TableHead>
            <TableHead>What</TableHead>
            <TableHead className="text-right">Credits</TableHead>
            <TableHead className="text-right">Balance after</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map(({ row, label }) => (
            <TableRow key={row.id}>
              <TableCell>
                <span className="tabular-nums">
                  <LocalTime iso={row.created_at} format={formatTimestamp} />
                </span>
              </TableCell>
              <TableCell>
                {row.kind === "top_up" && row.top_up_id ? (
                  // The auto-recharge this job's charge started: its top-up (status, how it was paid).
                  <Link
                    href={`/billing/top-ups/${encodeURIComponent(row.top_up_id)}`}
                    className="underline-offset-4 hover:underline"
                  >
                    {label}
                  </Link>
                ) : (
                  label
                )}
              </TableCell>
              <TableCell
                className={cn(
                  "text-right tabular-nums",
                  row.credits > 0 ? "text-success" : "text-foreground",
                )}
              >
                {formatSignedCredits(row.credits, { unit: true })}
              </TableCell>
              <TableCell className="text-right tabular-nums">{formatCredits(row.balance_after)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <p className="text-sm text-muted-foreground">
        Net cost of this job:{" "}
        <span className="font-medium text-foreground tabular-nums">{formatCredits(spent)}</span>
      </p>
    </div>
  );
}
