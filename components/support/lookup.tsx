"use client";

import { useQuery } from "@tanstack/react-query";
import { Search, SearchX } from "lucide-react";
import Link from "next/link";
import { parseAsString, useQueryState } from "nuqs";
import * as React from "react";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, FieldControl, FieldDescription, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import type { LookupKind, LookupMatch } from "@/lib/api/contract/support.schema";
import { supportQueries } from "@/lib/api/queries/support";
import { CustomerView } from "./customer-panel";
import { formatDate } from "@/lib/format";

const KIND_LABEL: Record<LookupKind, string> = {
  request: "Request",
  job: "Job",
  key: "API key",
  customer: "Customer",
};

/**
 * What a lookup puts in the URL. A pasted key secret (`sk_live_…`) becomes its 12-character prefix,
 * which finds the same key: a secret must never sit in an address (history, logs, `?next=`).
 */
export function urlSafeLookup(value: string): string {
  const trimmed = value.trim();
  return /^sk_[a-z]+_/.test(trimmed) && trimmed.length > 12 ? trimmed.slice(0, 12) : trimmed;
}

/** The query, in the URL (?q=), so a lookup can be linked and Back returns to it. */
export function useLookupQuery() {
  return useQueryState("q", parseAsString.withDefault(""));
}

/** One box for any id: request, job, key id or prefix, customer id, or account email. */
export function LookupBox() {
  const [q, setQ] = useLookupQuery();
  const [value, setValue] = React.useState(q);
  const [seen, setSeen] = React.useState(q);
  if (seen !== q) {
    setSeen(q);
    setValue(q);
  }
  return (
    <form
      role="search"
      aria-label="Support"
      onSubmit={(event) => {
        event.preventDefault();
        const safe = urlSafeLookup(value);
        if (safe !== value.trim()) setValue(safe);
        void setQ(safe || null);
      }}
    >
      <Field
        id="support-lookup"
        description="Paste a request ID, job ID, key ID or prefix, customer ID, or account email. Every lookup is audited."
      >
        <FieldLabel className="text-base">Look up</FieldLabel>
        <div className="flex flex-col gap-2 sm:flex-row">
          <FieldControl>
            <Input
              className="h-11 font-mono text-base sm:max-w-xl"
              placeholder="req_…, job_…, key_…, sk_live_…, cus_… or an email"
              autoComplete="off"
              spellCheck={false}
              autoFocus
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          </FieldControl>
          <Button type="submit" className="h-11">
            <Search aria-hidden />
            Find
          </Button>
        </div>
        <FieldDescription className="text-sm" />
      </Field>
    </form>
  );
}

function MatchCard({ match }: { match: LookupMatch }) {
  return (
    <li className="flex flex-col gap-2 rounded-lg border p-4 sm:flex-row sm:items-center sm:justify-between">
      <div className="flex min-w-0 flex-col gap-1">
        <p className="flex flex-wrap items-center gap-2">
          <Badge variant="secondary">{KIND_LABEL[match.kind]}</Badge>
          <code className="font-mono text-xs break-all">{match.id}</code>
        </p>
        <p className="text-sm break-words">{match.label}</p>
        <p className="text-xs text-muted-foreground">
          {match.customer_name ? (
            <>
              Customer {match.customer_name}
              {match.customer_status === "paused" ? " (paused)" : ""}
            </>
          ) : (
            "No customer"
          )}
          {match.at ? (
            <>
              {" · "}
              <LocalTime iso={match.at} format={formatDate} />
            </>
          ) : null}
        </p>
      </div>
      <div className="flex flex-wrap gap-2">
        {match.kind === "request" ? (
          <Button asChild size="sm" variant="outline">
            <Link href={`/support/requests/${match.id}`}>Open the story</Link>
          </Button>
        ) : match.request_id ? (
          <Button asChild size="sm" variant="outline">
            <Link href={`/support/requests/${match.request_id}`}>Open the request that created it</Link>
          </Button>
        ) : null}
        {match.customer_id ? (
          <Button asChild size="sm">
            <Link href={`/support/customers/${match.customer_id}`}>Open customer</Link>
          </Button>
        ) : null}
      </div>
    </li>
  );
}

/**
 * What the query names. One request shows its story (rendered by `renderRequest`, composed by the page);
 * one customer shows the customer; anything else is a list of matches to open.
 */
export function LookupResults({ renderRequest }: { renderRequest: (requestId: string) => React.ReactNode }) {
  const [q] = useLookupQuery();
  const result = useQuery({
    ...supportQueries.lookup(q),
    enabled: q !== "",
  });
  if (!q) return null;
  if (result.isPending) {
    return (
      <div className="flex flex-col gap-2" role="progressbar" aria-busy="true" aria-label="Looking up">
        <Skeleton className="h-20 w-full" />
      </div>
    );
  }
  if (result.isLoadingError) return <ErrorState error={result.error} onRetry={() => void result.refetch()} />;
  const matches = result.data.data;
  if (matches.length === 0) {
    return (
      <div className="flex flex-col items-start gap-2 rounded-lg border border-dashed p-6" role="status">
        <SearchX className="size-6 text-muted-foreground" aria-hidden />
        <p className="font-medium">Nothing matches</p>
        <p className="text-sm text-muted-foreground">
          <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-foreground break-all">{q}</code>{" "}
          names no request, job, key, customer or account. Request IDs are kept for 30 days.
        </p>
      </div>
    );
  }
  const only = matches.length === 1 ? matches[0]! : null;
  return (
    <section aria-label="Look up results" className="flex flex-col gap-4">
      <p className="text-sm text-muted-foreground" role="status">
        {matches.length === 1 ? "1 match" : `${matches.length} matches`} for{" "}
        <code className="font-mono text-foreground">{q}</code>
      </p>
      <ul className="flex flex-col gap-2">
        {matches.map((m) => (
          <MatchCard key={`${m.kind}:${m.id}`} match={m} />
        ))}
      </ul>
      {only?.kind === "request" ? renderRequest(only.id) : null}
      {only && only.kind !== "request" && only.customer_id ? (
        <CustomerView customerId={only.customer_id} level="section" />
      ) : null}
    </section>
  );
}
