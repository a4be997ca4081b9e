import Link from "next/link";
import { LocalTime } from "@/components/common/local-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CustomerSummary } from "@/lib/api/contract/support.schema";
import { formatDate } from "@/lib/format";
import { Empty, type Level, SubHeading } from "./customer-panel-parts";

// What a customer has been doing lately: their errors by code and their last jobs (the lower half of
// the customer panel; no state of its own).

export function RecentErrors({ customer, level }: { customer: CustomerSummary; level: Level }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <SubHeading level={level}>Recent errors by code</SubHeading>
        </CardTitle>
        <CardDescription>
          Since <LocalTime iso={customer.errors_since} format={formatDate} />, most frequent first.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {customer.recent_errors.length === 0 ? (
          <Empty>No errors in the last 7 days.</Empty>
        ) : (
          <ul className="grid gap-2 sm:grid-cols-2" aria-label="Error codes with counts">
            {customer.recent_errors.map((e) => (
              <li key={e.code} className="flex items-center justify-between gap-3 rounded-md border p-3">
                <span className="flex min-w-0 flex-col">
                  <span className="truncate font-mono text-sm">{e.code}</span>
                  <Link
                    href={`/support/requests/${e.last_request_id}`}
                    className="truncate text-xs text-muted-foreground underline-offset-4 hover:underline"
                  >
                    Last <LocalTime iso={e.last_at} format={formatDate} />
                  </Link>
                </span>
                <span className="text-lg font-semibold tabular-nums">{e.count}</span>
              </li>
            ))}
          </ul>
        )}
        {customer.recent_failed_requests.length ? (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Time</TableHead>
                <TableHead>Request</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Code</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {customer.recent_failed_requests.map((r) => (
                <TableRow key={r.request_id}>
                  <TableCell className="text-xs whitespace-nowrap">
                    <Link href={`/support/requests/${r.request_id}`} className="underline underline-offset-4">
                      <LocalTime iso={r.at} format={formatDate} />
                    </Link>
                  </TableCell>
                  <TableCell className="max-w-72 truncate font-mono text-xs" title={r.path}>
                    {r.method} {r.path}
                  </TableCell>
                  <TableCell className="font-mono text-xs">{r.status}</TableCell>
                  <TableCell className="font-mono text-xs">{r.code ?? "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </CardContent>
    </Card>
  );
}

export function RecentJobs({ customer, level }: { customer: CustomerSummary; level: Level }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <SubHeading level={level}>Recent jobs</SubHeading>
        </CardTitle>
        <CardDescription>The last 10, newest first.</CardDescription>
      </CardHeader>
      <CardContent>
        {customer.recent_jobs.length === 0 ? (
          <Empty>No jobs yet.</Empty>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Created</TableHead>
                <TableHead>Job</TableHead>
                <TableHead>Product</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Cost</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {customer.recent_jobs.map((job) => (
                <TableRow key={job.id}>
                  <TableCell className="text-xs whitespace-nowrap">
                    <LocalTime iso={job.created_at} format={formatDate} />
                  </TableCell>
                  <TableCell className="font-mono text-xs">
                    {job.request_id ? (
                      <Link
                        href={`/support/requests/${job.request_id}`}
                        className="underline underline-offset-4"
                      >
                        {job.id}
                      </Link>
                    ) : (
                      job.id
                    )}
                  </TableCell>
                  <TableCell>{job.product}</TableCell>
                  <TableCell>
                    <span className="inline-flex gap-1">
                      <Badge
                        variant={
                          job.status === "failed"
                            ? "destructive"
                            : job.status === "succeeded"
                              ? "success"
                              : "secondary"
                        }
                        className="capitalize"
                      >
                        {job.status}
                      </Badge>
                      {job.refunded ? <Badge variant="outline">Refunded</Badge> : null}
                    </span>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{job.cost_credits}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
