"use client";

import {
  createColumnHelper,
  type RowSelectionState,
  rowSelectionFeature,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import Link from "next/link";
import * as React from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Job } from "@/lib/api/contract/jobs.schema";
import { formatCredits, formatTimestamp } from "@/lib/format";
import { cn } from "@/lib/utils";
import { isImageOutput, truncate } from "./job-format";
import { JobStatusBadge } from "./job-status-badge";
import { LiveDuration } from "./live-duration";
import { LocalTime } from "@/components/common/local-time";

const features = tableFeatures({ rowSelectionFeature });
const helper = createColumnHelper<typeof features, Job>();

export type JobsTableLookups = {
  productName: (id: string) => string;
  keyLabel: (id: string | null) => string;
};

function buildColumns({ productName, keyLabel }: JobsTableLookups) {
  return helper.columns([
    helper.display({
      id: "select",
      header: ({ table }) => {
        const selectable = table.getRowModel().rows.some((row) => row.getCanSelect());
        return (
          <Checkbox
            aria-label="Select all failed jobs shown"
            disabled={!selectable}
            checked={
              table.getIsAllPageRowsSelected()
                ? true
                : table.getIsSomePageRowsSelected()
                  ? "indeterminate"
                  : false
            }
            onCheckedChange={(value) => table.toggleAllPageRowsSelected(value === true)}
          />
        );
      },
      cell: ({ row }) =>
        row.getCanSelect() ? (
          <Checkbox
            aria-label={`Select failed job ${row.original.id}`}
            checked={row.getIsSelected()}
            onCheckedChange={(value) => row.toggleSelected(value === true)}
          />
        ) : null,
    }),
    helper.accessor("created_at", {
      header: "Created",
      cell: ({ getValue }) => (
        <span className="tabular-nums">
          <LocalTime iso={getValue()} format={formatTimestamp} />
        </span>
      ),
    }),
    helper.accessor("product", { header: "Product", cell: ({ getValue }) => productName(getValue()) }),
    helper.accessor("prompt", {
      header: "Prompt",
      cell: ({ row, getValue }) => (
        <Link
          href={`/jobs/${row.original.id}`}
          title={getValue()}
          className="font-medium underline-offset-4 hover:underline"
        >
          {truncate(getValue(), 48)}
        </Link>
      ),
    }),
    helper.accessor("status", { header: "Status", cell: ({ row }) => <JobStatusBadge job={row.original} /> }),
    helper.accessor("cost_credits", {
      header: "Cost",
      cell: ({ row, getValue }) => (
        <span className={cn("tabular-nums", row.original.refunded && "text-muted-foreground line-through")}>
          {formatCredits(getValue())}
        </span>
      ),
    }),
    helper.accessor("key_id", { header: "Key", cell: ({ getValue }) => keyLabel(getValue()) }),
    helper.display({
      id: "duration",
      header: "Duration",
      cell: ({ row }) => <LiveDuration job={row.original} />,
    }),
    helper.display({
      id: "output",
      header: "Output",
      cell: ({ row }) =>
        row.original.status === "succeeded" && row.original.output && isImageOutput(row.original) ? (
          // Our own generated media (animated WebP for video): shown as served, never re-encoded.
          // eslint-disable-next-line @next/next/no-img-element
          <img
            src={row.original.output.url}
            alt={`Output of ${row.original.id}`}
            width={40}
            height={40}
            loading="lazy"
            className="size-10 rounded border object-cover"
          />
        ) : null,
    }),
  ]);
}

/** The history table: one row per job, failed ones selectable for "Retry selected". */
export function JobsTable({
  jobs,
  lookups,
  rowSelection,
  onRowSelectionChange,
}: {
  jobs: Job[];
  lookups: JobsTableLookups;
  rowSelection: RowSelectionState;
  onRowSelectionChange: React.Dispatch<React.SetStateAction<RowSelectionState>>;
}) {
  const columns = React.useMemo(() => buildColumns(lookups), [lookups]);
  const table = useTable({
    features,
    columns,
    data: jobs,
    getRowId: (job) => job.id,
    enableRowSelection: (row) => row.original.status === "failed",
    state: { rowSelection },
    onRowSelectionChange,
  });

  return (
    <Table>
      <TableHeader>
        {table.getHeaderGroups().map((group) => (
          <TableRow key={group.id}>
            {group.headers.map((header) => (
              <TableHead
                key={header.id}
                className={header.column.id === "cost_credits" ? "text-right" : undefined}
              >
                {header.isPlaceholder ? null : <table.FlexRender header={header} />}
              </TableHead>
            ))}
          </TableRow>
        ))}
      </TableHeader>
      <TableBody>
        {table.getRowModel().rows.map((row) => (
          <TableRow key={row.id} data-state={row.getIsSelected() ? "selected" : undefined}>
            {row.getAllCells().map((cell) => (
              <TableCell
                key={cell.id}
                className={cell.column.id === "cost_credits" ? "text-right" : undefined}
              >
                <table.FlexRender cell={cell} />
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
