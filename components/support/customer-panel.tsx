"use client";

import { NotFoundState } from "@/components/common/not-found-state";
import { useQuery } from "@tanstack/react-query";
import { History, PauseCircle } from "lucide-react";
import Link from "next/link";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CustomerSummary } from "@/lib/api/contract/support.schema";
import { ApiError } from "@/lib/api/errors";
import { supportQueries } from "@/lib/api/queries/support";
import { formatCredits, formatDate } from "@/lib/format";
import { RecentErrors, RecentJobs } from "./customer-activity";
import { Empty, Entries, type Level, StatusBadge, SubHeading } from "./customer-panel-parts";
import { PauseDialog } from "./pause-dialog";
import { CustomerWebhooks } from "./webhook-deliveries";

function Header({ customer, level }: { customer: CustomerSummary; level: Level }) {
  const Heading = level === "page" ? "h1" : "h2";
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
      <div className="flex flex-col gap-1">
        {level === "section" ? (
          <p className="text-xs font-medium tracking-wide text-muted-foreground uppercase">Customer</p>
        ) : null}
        <Heading
          className={level === "page" ? "text-2xl font-semibold tracking-tight" : "text-xl font-semibold"}
        >
          {level === "section" ? (
            <Link href={`/support/customers/${customer.id}`} className="underline-offset-4 hover:underline">
              {customer.name}
            </Link>
          ) : (
            customer.name
          )}
        </Heading>
        <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
          <code className="font-mono text-xs">{customer.id}</code>
          <StatusBadge status={customer.status} />
          <span>
            Customer since <LocalTime iso={customer.created_at} format={formatDate} />
          </span>
        </p>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button asChild variant="outline">
          <Link href={`/support/audit?customer=${customer.id}`}>
            <History aria-hidden />
            Audit trail
          </Link>
        </Button>
        <PauseDialog
          target="customers"
          id={customer.id}
          name={customer.name}
          paused={customer.status === "paused"}
        />
      </div>
    </div>
  );
}

function PausedNotice({ customer }: { customer: CustomerSummary }) {
  if (customer.status !== "paused") return null;
  return (
    <div
      className="flex items-start gap-3 rounded-lg border border-warning/60 bg-warning/10 p-4 text-sm"
      data-testid="customer-paused"
    >
      <PauseCircle className="mt-0.5 size-5 shrink-0 text-warning" aria-hidden />
      <div className="flex flex-col gap-1">
        <p className="font-medium">Paused</p>
        <p>
          By <strong>{customer.paused_by ?? "unknown"}</strong>
          {customer.paused_at ? (
            <>
              {" "}
              on <LocalTime iso={customer.paused_at} format={formatDate} />
            </>
          ) : null}
          .
        </p>
        {customer.paused_reason ? <p>Reason: {customer.paused_reason}</p> : null}
      </div>
    </div>
  );
}

function Overview({ customer, level }: { customer: CustomerSummary; level: Level }) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>
            <SubHeading level={level}>Balance</SubHeading>
          </CardTitle>
          <CardDescription>
            Updated <LocalTime iso={customer.balance_updated_at} format={formatDate} />
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-1">
          <p className="text-3xl font-semibold tabular-nums" data-testid="customer-balance">
            {formatCredits(customer.credits)}
          </p>
          <p className="text-xs text-muted-foreground">
            Low-balance warning under {formatCredits(customer.low_balance_credits)}
          </p>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>
            <SubHeading level={level}>People</SubHeading>
          </CardTitle>
          <CardDescription>Console accounts of this customer.</CardDescription>
        </CardHeader>
        <CardContent>
          {customer.users.length === 0 ? (
            <Empty>No console accounts.</Empty>
          ) : (
            <ul className="flex flex-col gap-2 text-sm">
              {customer.users.map((u) => (
                <li key={u.id} className="flex flex-wrap items-center justify-between gap-2">
                  <span className="min-w-0 break-all">
                    {u.email} <span className="text-muted-foreground capitalize">· {u.role}</span>
                  </span>
                  <span className="text-xs text-muted-foreground">
                    {u.active_sessions === 1 ? "1 active session" : `${u.active_sessions} active sessions`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

function Keys({ customer, level }: { customer: CustomerSummary; level: Level }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <SubHeading level={level}>API keys</SubHeading>
        </CardTitle>
        <CardDescription>
          Prefixes, statuses and allowlists. Secrets are never shown or stored.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {customer.keys.length === 0 ? (
          <Empty>No keys yet.</Empty>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Prefix</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Allowed origins</TableHead>
                <TableHead>Allowed IPs</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {customer.keys.map((key) => (
                <TableRow key={key.id}>
                  <TableCell className="font-medium">{key.name}</TableCell>
                  <TableCell className="font-mono text-xs">{key.prefix}…</TableCell>
                  <TableCell>
                    <StatusBadge status={key.status} />
                  </TableCell>
                  <TableCell className="whitespace-normal">
                    <Entries items={key.allowed_origins} empty="Any" />
                  </TableCell>
                  <TableCell className="whitespace-normal">
                    <Entries items={key.allowed_ips} empty="Any" />
                  </TableCell>
                  <TableCell className="text-xs whitespace-nowrap">
                    {key.last_used_at ? <LocalTime iso={key.last_used_at} format={formatDate} /> : "Never"}
                  </TableCell>
                  <TableCell className="text-right">
                    {key.status === "revoked" ? null : (
                      <PauseDialog
                        target="keys"
                        id={key.id}
                        name={key.prefix}
                        paused={key.status === "paused"}
                        size="sm"
                      />
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

/** Everything support sees of one customer, with the actions staff may take. */
export function CustomerPanel({ customer, level = "page" }: { customer: CustomerSummary; level?: Level }) {
  return (
    <section
      className="flex flex-col gap-4"
      aria-label={`Customer ${customer.name}`}
      data-testid="customer-panel"
    >
      <Header customer={customer} level={level} />
      <PausedNotice customer={customer} />
      <Overview customer={customer} level={level} />
      <Keys customer={customer} level={level} />
      <RecentErrors customer={customer} level={level} />
      <RecentJobs customer={customer} level={level} />
      <CustomerWebhooks customer={customer} level={level} />
    </section>
  );
}

export function CustomerNotFound({ customerId, level = "page" }: { customerId: string; level?: Level }) {
  // The page's one heading when it is the page (axe: page-has-heading-one), a section's otherwise.
  return (
    <NotFoundState title="No customer with this ID" id={customerId} heading={level === "page" ? "h1" : "h2"}>
      names no customer. Try Look up with an email, a key prefix or a request ID.
    </NotFoundState>
  );
}

export function PanelSkeleton({ label }: { label: string }) {
  return (
    <div className="flex flex-col gap-4" role="progressbar" aria-busy="true" aria-label={label}>
      <Skeleton className="h-12 w-72" />
      <div className="grid gap-4 md:grid-cols-2">
        <Skeleton className="h-32" />
        <Skeleton className="h-32" />
      </div>
      <Skeleton className="h-40" />
    </div>
  );
}

/** A customer by id (its own page, or inline under a lookup). */
export function CustomerView({ customerId, level = "page" }: { customerId: string; level?: Level }) {
  const customer = useQuery(supportQueries.customer(customerId));
  if (customer.isPending) {
    return (
      <>
        {level === "page" ? <h1 className="sr-only">Customer {customerId}</h1> : null}
        <PanelSkeleton label="Loading the customer" />
      </>
    );
  }
  if (customer.isLoadingError) {
    return ApiError.is(customer.error) && customer.error.code === "not_found" ? (
      <CustomerNotFound customerId={customerId} level={level} />
    ) : (
      <>
        {level === "page" ? <h1 className="sr-only">Customer {customerId}</h1> : null}
        <ErrorState error={customer.error} onRetry={() => void customer.refetch()} />
      </>
    );
  }
  return <CustomerPanel customer={customer.data} level={level} />;
}
