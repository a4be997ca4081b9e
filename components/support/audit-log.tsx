"use client";

import { LoadMore } from "@/components/common/load-more";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useQueryStates } from "nuqs";
import * as React from "react";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { type Choice, ChoiceSelect } from "@/components/ui/choice-select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { AuditEntry } from "@/lib/api/contract/support.schema";
import { supportQueries } from "@/lib/api/queries/support";
import { auditSearchParams, toAuditFilters } from "./audit-search";
import { formatDate } from "@/lib/format";

const ACTOR_CHOICES: Choice<"staff" | "all">[] = [
  { value: "staff", label: "Staff actions and lookups" },
  { value: "all", label: "Everything, customers' own changes too" },
];

const ACTION_LABEL: Record<string, string> = {
  "support.lookup": "Looked up",
  "support.request.view": "Viewed a request",
  "support.customer.view": "Viewed a customer",
  "support.customer.pause": "Paused the customer",
  "support.customer.unpause": "Unpaused the customer",
  "support.key.pause": "Paused a key",
  "support.key.unpause": "Unpaused a key",
  "support.product.pause": "Paused a product",
  "support.product.unpause": "Unpaused a product",
};

function Target({ entry }: { entry: AuditEntry }) {
  const q = typeof entry.details?.q === "string" ? entry.details.q : null;
  if (entry.action === "support.lookup" && q)
    return <code className="font-mono text-xs break-all">“{q}”</code>;
  if (!entry.target_id) return <span className="text-muted-foreground">—</span>;
  if (entry.target_type === "request") {
    return (
      <Link
        href={`/support/requests/${entry.target_id}`}
        className="font-mono text-xs break-all underline underline-offset-4"
      >
        {entry.target_id}
      </Link>
    );
  }
  return <code className="font-mono text-xs break-all">{entry.target_id}</code>;
}

/** Every staff action and lookup — who, what, when, why — newest first. */
export function AuditLog() {
  const [state, setState] = useQueryStates(auditSearchParams, { history: "replace", clearOnDefault: true });
  const [customer, setCustomer] = React.useState(state.customer ?? "");
  const [seen, setSeen] = React.useState(state.customer);
  if (seen !== state.customer) {
    setSeen(state.customer);
    setCustomer(state.customer ?? "");
  }
  const filters = toAuditFilters(state);
  const list = useInfiniteQuery(supportQueries.audit(filters));
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <p className="text-sm text-muted-foreground">
          Every staff action and lookup: who, what, when and why. Entries can&apos;t be changed or removed.
        </p>
      </div>
      <div className="flex flex-col gap-3 rounded-lg border p-3 md:flex-row md:items-end">
        <form
          className="flex flex-col gap-1.5"
          onSubmit={(event) => {
            event.preventDefault();
            void setState({ customer: customer.trim() || null });
          }}
        >
          <Label htmlFor="audit-customer">Customer ID</Label>
          <div className="flex gap-2">
            <Input
              id="audit-customer"
              className="w-full font-mono md:w-64"
              placeholder="cus_…"
              value={customer}
              onChange={(e) => setCustomer(e.target.value)}
            />
            <Button type="submit" variant="secondary">
              Filter
            </Button>
          </div>
        </form>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="audit-actor">Show</Label>
          <ChoiceSelect
            id="audit-actor"
            className="w-full md:w-64"
            value={state.actor}
            onValueChange={(actor) => void setState({ actor })}
            choices={ACTOR_CHOICES}
          />
        </div>
      </div>
      {list.isPending ? (
        <div
          className="flex flex-col gap-2"
          role="progressbar"
          aria-busy="true"
          aria-label="Loading the audit log"
        >
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-10 w-full" />
          ))}
        </div>
      ) : list.isLoadingError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <div className="rounded-lg border border-dashed p-6" role="status">
          <p className="font-medium">No entries</p>
          <p className="text-sm text-muted-foreground">Nothing has been recorded for these filters yet.</p>
        </div>
      ) : (
        <div className="flex flex-col gap-3">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>Who</TableHead>
                <TableHead>What</TableHead>
                <TableHead>Target</TableHead>
                <TableHead>Customer</TableHead>
                <TableHead>Reason</TableHead>
                <TableHead>Request</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((entry) => (
                <TableRow key={entry.id}>
                  <TableCell className="text-xs whitespace-nowrap">
                    <LocalTime iso={entry.at} format={formatDate} />
                  </TableCell>
                  <TableCell className="text-xs">
                    {entry.actor_email ?? "—"}
                    {entry.actor_role && entry.actor_role !== "support" ? (
                      <span className="text-muted-foreground"> ({entry.actor_role})</span>
                    ) : null}
                  </TableCell>
                  <TableCell className="text-sm whitespace-nowrap">
                    {ACTION_LABEL[entry.action] ?? entry.action}
                  </TableCell>
                  <TableCell className="max-w-56 min-w-40 whitespace-normal">
                    <Target entry={entry} />
                  </TableCell>
                  <TableCell className="text-xs">
                    {entry.customer_id ? (
                      <Link
                        href={`/support/customers/${entry.customer_id}`}
                        className="font-mono underline underline-offset-4"
                      >
                        {entry.customer_id}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </TableCell>
                  <TableCell className="max-w-64 min-w-32 text-sm whitespace-normal">
                    {entry.reason ?? <span className="text-muted-foreground">—</span>}
                  </TableCell>
                  <TableCell className="max-w-40 font-mono text-xs break-all whitespace-normal">
                    {entry.request_id ?? "—"}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <LoadMore query={list} />
          {list.isFetchNextPageError ? (
            <ErrorState error={list.error} onRetry={() => void list.fetchNextPage()} />
          ) : null}
        </div>
      )}
    </div>
  );
}
