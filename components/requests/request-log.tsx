"use client";

import { LoadMore } from "@/components/common/load-more";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Search, X } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import * as React from "react";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, FieldControl, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ERROR_CODE_LIST, ERROR_CODES, isErrorCode } from "@/lib/api/contract/error-codes";
import { type REQUEST_SOURCES, STATUS_CLASSES } from "@/lib/api/contract/constants";
import type { RequestEntry } from "@/lib/api/contract/requests.schema";
import { ERROR_UI } from "@/lib/api/error-ui";
import { requestQueries, TIME_RANGES, type TimeRange } from "@/lib/api/queries/requests";
import { cn } from "@/lib/utils";
import { formatDuration, formatTimestamp } from "@/lib/format";
import { isCustomerPaused, PausedNote } from "./paused";
import { CodeBadge, StatusBadge } from "./status-badge";
import { useRequestFilters } from "./use-request-filters";

const HTTP_CODES = ERROR_CODE_LIST.filter((c) => ERROR_CODES[c].status !== null);
const ALL = "all";
const REQUEST_ID = /^req_[0-9A-Za-z]{26}$/;

export function RequestLog() {
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-4 md:flex-row md:items-end md:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Requests</h1>
          <p className="text-sm text-muted-foreground">
            Every call to the API by your keys and this console, newest first. Kept for 30 days.
          </p>
        </div>
        <RequestSearch />
      </div>
      <FilterBar />
      <FailingCodes />
      <RequestList />
    </div>
  );
}

/** Paste a request id (from an error, a log line or a support ticket) and open its story. */
function RequestSearch() {
  const router = useRouter();
  const [value, setValue] = React.useState("");
  const [error, setError] = React.useState<string | null>(null);
  return (
    <form
      role="search"
      aria-label="Find a request"
      className="flex flex-col gap-1.5"
      onSubmit={(event) => {
        event.preventDefault();
        const id = value.trim();
        if (!REQUEST_ID.test(id)) {
          setError("Request IDs look like req_01J… (30 characters).");
          return;
        }
        setError(null);
        router.push(`/requests/${id.slice(0, 4)}${id.slice(4).toUpperCase()}`);
      }}
    >
      <Field id="request-search" className="gap-1.5" error={error}>
        <FieldLabel>Find a request by ID</FieldLabel>
        <div className="flex gap-2">
          <FieldControl>
            <Input
              className="w-full font-mono md:w-80"
              placeholder="req_…"
              autoComplete="off"
              spellCheck={false}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          </FieldControl>
          <Button type="submit" variant="secondary">
            <Search aria-hidden />
            Open
          </Button>
        </div>
        <FieldError />
      </Field>
    </form>
  );
}

function FilterBar() {
  const { state, setState, active, clear } = useRequestFilters();
  const [path, setPath] = React.useState(state.path ?? "");
  // The URL can change under us (Back, Clear filters): the text box follows it.
  const [seenPath, setSeenPath] = React.useState(state.path);
  if (seenPath !== state.path) {
    setSeenPath(state.path);
    setPath(state.path ?? "");
  }
  const commitPath = () => void setState({ path: path.trim() || null });

  return (
    <div className="grid grid-cols-2 gap-3 rounded-lg border p-3 md:flex md:flex-wrap md:items-end">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-range">Time range</Label>
        <Select value={state.range} onValueChange={(v) => void setState({ range: v as TimeRange })}>
          <SelectTrigger id="filter-range" className="w-full md:w-40">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {Object.entries(TIME_RANGES).map(([key, r]) => (
              <SelectItem key={key} value={key}>
                {r.label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-source">Sent by</Label>
        <Select
          value={state.source ?? ALL}
          onValueChange={(v) =>
            void setState({ source: v === ALL ? null : (v as (typeof REQUEST_SOURCES)[number]) })
          }
        >
          <SelectTrigger id="filter-source" className="w-full md:w-36">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>Anyone</SelectItem>
            <SelectItem value="key">API keys</SelectItem>
            <SelectItem value="console">The console</SelectItem>
          </SelectContent>
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-status">Status</Label>
        <Select
          value={state.status ?? ALL}
          onValueChange={(v) =>
            void setState({ status: v === ALL ? null : (v as (typeof STATUS_CLASSES)[number]) })
          }
        >
          <SelectTrigger id="filter-status" className="w-full md:w-32">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>Any status</SelectItem>
            {STATUS_CLASSES.map((c) => (
              <SelectItem key={c} value={c}>
                {c}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-code">Error code</Label>
        <Select
          value={state.code ?? ALL}
          onValueChange={(v) => void setState({ code: v === ALL ? null : v })}
        >
          <SelectTrigger id="filter-code" className="w-full md:w-56">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>Any code</SelectItem>
            {HTTP_CODES.map((c) => (
              <SelectItem key={c} value={c}>
                <span className="font-mono">{c}</span>
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <form
        className="col-span-2 flex flex-col gap-1.5"
        onSubmit={(event) => {
          event.preventDefault();
          commitPath();
        }}
      >
        <Label htmlFor="filter-path">Path starts with</Label>
        <Input
          id="filter-path"
          className="w-full font-mono md:w-48"
          placeholder="/jobs"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          onBlur={commitPath}
        />
      </form>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-would-refuse">Shadow allowlist</Label>
        <div className="flex h-9 items-center gap-2">
          <Switch
            id="filter-would-refuse"
            checked={Boolean(state.would_refuse)}
            onCheckedChange={(on) => void setState({ would_refuse: on ? true : null })}
            aria-describedby="filter-would-refuse-hint"
          />
          <span id="filter-would-refuse-hint" className="text-sm text-muted-foreground">
            Would refuse only
          </span>
        </div>
      </div>
      {state.key ? (
        <div className="flex flex-col gap-1.5">
          <span className="text-sm font-medium">Key</span>
          <Badge variant="secondary" className="h-9 gap-1 pr-1 font-mono">
            {state.key}
            <Button
              type="button"
              variant="ghost"
              size="icon"
              className="size-6"
              aria-label="Remove the key filter"
              onClick={() => void setState({ key: null })}
            >
              <X aria-hidden />
            </Button>
          </Badge>
        </div>
      ) : null}
      {active ? (
        <Button type="button" variant="ghost" onClick={clear} className="col-span-2 md:ml-auto">
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}

/** "What keeps failing?": the range's error codes with counts; one click filters the list by it. */
function FailingCodes() {
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
              {summary.data.total.toLocaleString("en-US")} requests:{" "}
              {summary.data.by_class["2xx"].toLocaleString("en-US")} succeeded,{" "}
              {summary.data.by_class["4xx"].toLocaleString("en-US")} refused (4xx),{" "}
              {summary.data.by_class["5xx"].toLocaleString("en-US")} failed on our side (5xx).
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
                        <span className="text-lg font-semibold tabular-nums">
                          {c.count.toLocaleString("en-US")}
                        </span>
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

function RequestList() {
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
