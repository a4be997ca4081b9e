import { Webhook } from "lucide-react";
import Link from "next/link";
import { DeliveryStatusBadge } from "@/components/common/delivery-status";
import { LocalTime } from "@/components/common/local-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type {
  CustomerSummary,
  SupportWebhookDelivery,
  SupportWebhookEndpoint,
} from "@/lib/api/contract/support.schema";
import { formatDate, formatDuration, formatTimestamp } from "@/lib/format";
import { Empty, type Level, SubHeading } from "./customer-panel-parts";

// A customer's webhooks as support sees them: where each delivery went, what the receiver last said,
// when it is tried again; which endpoints are failing or were turned off. Read-only, no state.

function LastAnswer({ attempt }: { attempt: SupportWebhookDelivery["last_attempt"] }) {
  if (!attempt) return <span className="text-muted-foreground">Not tried yet</span>;
  return (
    <span className="flex flex-col gap-0.5">
      <span className="text-xs whitespace-nowrap">
        {attempt.status_code !== null ? (
          <span className="font-mono">HTTP {attempt.status_code}</span>
        ) : (
          "No answer"
        )}{" "}
        <span className="text-muted-foreground">· {formatDuration(attempt.duration_ms)}</span>
      </span>
      {attempt.error && attempt.status_code === null ? (
        <span className="max-w-64 truncate text-xs text-muted-foreground" title={attempt.error}>
          {attempt.error}
        </span>
      ) : null}
    </span>
  );
}

/** Deliveries, newest first. `showJob`: link each job event to the story of the request that made the job. */
export function WebhookDeliveriesTable({
  deliveries,
  caption,
  showJob,
}: {
  deliveries: SupportWebhookDelivery[];
  caption: string;
  showJob: boolean;
}) {
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <TableHeader>
        <TableRow>
          <TableHead className="hidden sm:table-cell">Created</TableHead>
          <TableHead>Event</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Endpoint</TableHead>
          <TableHead className="text-right">Attempts</TableHead>
          <TableHead>Last answer</TableHead>
          <TableHead>Next retry</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {deliveries.map((d) => (
          <TableRow key={d.id}>
            <TableCell className="hidden text-xs whitespace-nowrap sm:table-cell">
              <LocalTime iso={d.created_at} format={formatTimestamp} />
            </TableCell>
            <TableCell>
              <span className="flex flex-col gap-0.5">
                <code className="font-mono text-xs">{d.event_type}</code>
                {showJob && d.job_id ? (
                  d.job_request_id ? (
                    <Link
                      href={`/support/requests/${d.job_request_id}`}
                      className="font-mono text-xs text-muted-foreground underline underline-offset-4"
                    >
                      {d.job_id}
                    </Link>
                  ) : (
                    <span className="font-mono text-xs text-muted-foreground">{d.job_id}</span>
                  )
                ) : null}
              </span>
            </TableCell>
            <TableCell>
              <DeliveryStatusBadge status={d.status} />
            </TableCell>
            <TableCell className="max-w-64 truncate font-mono text-xs" title={d.endpoint_url}>
              {d.endpoint_url}
            </TableCell>
            <TableCell className="text-right tabular-nums">{d.attempts}</TableCell>
            <TableCell>
              <LastAnswer attempt={d.last_attempt} />
            </TableCell>
            <TableCell className="text-xs whitespace-nowrap">
              {d.next_attempt_at ? (
                <LocalTime iso={d.next_attempt_at} format={formatTimestamp} />
              ) : (
                <span className="text-muted-foreground">—</span>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The request story's part for staff: every delivery of the job's events. */
export function JobWebhookDeliveries({ deliveries }: { deliveries: SupportWebhookDelivery[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 className="flex items-center gap-2">
            <Webhook className="size-4" aria-hidden />
            Webhook deliveries
          </h2>
        </CardTitle>
        <CardDescription>
          The job&apos;s events sent to the customer&apos;s endpoints, newest first, as they are now.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {deliveries.length === 0 ? (
          <Empty>
            No webhook deliveries for this job: it has not ended yet, or no endpoint of the customer
            subscribes to its events.
          </Empty>
        ) : (
          <WebhookDeliveriesTable
            deliveries={deliveries}
            caption="Webhook deliveries of this job, newest first"
            showJob={false}
          />
        )}
      </CardContent>
    </Card>
  );
}

/** Worst first: disabled by the platform, failing, turned off by the customer, healthy. */
function rank(e: SupportWebhookEndpoint): number {
  if (e.disabled_reason) return 0;
  if (e.failing_since) return 1;
  if (!e.enabled) return 2;
  return 3;
}

function EndpointHealth({ endpoint: e }: { endpoint: SupportWebhookEndpoint }) {
  if (e.disabled_reason) {
    return (
      <span className="flex flex-col gap-1">
        <Badge variant="destructive" className="w-fit">
          Disabled by the platform
        </Badge>
        <span className="text-xs text-muted-foreground">
          {e.disabled_at ? (
            <>
              On <LocalTime iso={e.disabled_at} format={formatDate} />:{" "}
            </>
          ) : null}
          {e.disabled_reason}
        </span>
      </span>
    );
  }
  const failing = e.failing_since ? (
    <span className="text-xs text-muted-foreground">
      {e.consecutive_failures >= 1000 ? "1,000 or more" : e.consecutive_failures} failed{" "}
      {e.consecutive_failures === 1 ? "attempt" : "attempts"} in a row since{" "}
      <LocalTime iso={e.failing_since} format={formatDate} />
    </span>
  ) : null;
  if (!e.enabled) {
    return (
      <span className="flex flex-col gap-1">
        <Badge variant="outline" className="w-fit">
          Turned off
        </Badge>
        {failing}
      </span>
    );
  }
  return e.failing_since ? (
    <span className="flex flex-col gap-1">
      <Badge variant="warning" className="w-fit">
        Failing
      </Badge>
      {failing}
    </span>
  ) : (
    <Badge variant="success" className="w-fit">
      Healthy
    </Badge>
  );
}

/** The customer panel's webhooks: each endpoint's health, then the latest deliveries. */
export function CustomerWebhooks({ customer, level }: { customer: CustomerSummary; level: Level }) {
  const endpoints = [...customer.webhook_endpoints].sort((a, b) => rank(a) - rank(b));
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <SubHeading level={level}>Webhooks</SubHeading>
        </CardTitle>
        <CardDescription>
          Endpoints (failing and disabled ones first) and the last 10 deliveries, newest first.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {endpoints.length === 0 ? (
          <Empty>No webhook endpoints.</Empty>
        ) : (
          <ul className="flex flex-col gap-2" aria-label="Webhook endpoints">
            {endpoints.map((e) => (
              <li
                key={e.id}
                className="flex flex-col gap-2 rounded-md border p-3 sm:flex-row sm:items-start sm:justify-between"
              >
                <span className="flex min-w-0 flex-col gap-0.5">
                  <span className="font-mono text-sm break-all">{e.url}</span>
                  <span className="text-xs text-muted-foreground">
                    {e.description ? `${e.description} · ` : ""}
                    {e.events.join(", ")}
                  </span>
                </span>
                <span className="shrink-0 sm:max-w-80">
                  <EndpointHealth endpoint={e} />
                </span>
              </li>
            ))}
          </ul>
        )}
        {customer.recent_webhook_deliveries.length === 0 ? (
          <Empty>No webhook deliveries yet.</Empty>
        ) : (
          <WebhookDeliveriesTable
            deliveries={customer.recent_webhook_deliveries}
            caption="The customer's latest webhook deliveries, newest first"
            showJob
          />
        )}
      </CardContent>
    </Card>
  );
}
