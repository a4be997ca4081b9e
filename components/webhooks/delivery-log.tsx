"use client";

import { useQuery } from "@tanstack/react-query";
import { Inbox } from "lucide-react";
import { DeliveryStatusBadge } from "@/components/common/delivery-status";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { ChoiceSelect } from "@/components/ui/choice-select";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "@/lib/api/contract/constants";
import type { WebhookEndpoint } from "@/lib/api/contract/webhook-endpoints.schema";
import { type DeliveryFilters, webhookQueries } from "@/lib/api/queries/webhooks";
import { relativeOrDate } from "@/lib/format";

const ALL = "all";
const STATUS_CHOICES = [
  { value: ALL, label: "Any status" },
  ...WEBHOOK_DELIVERY_STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) })),
];
const TYPE_CHOICES = [
  { value: ALL, label: "Any event" },
  ...[...WEBHOOK_EVENT_TYPES, "webhook.test"].map((t) => ({ value: t, label: t })),
];

/** The delivery log, newest first, with its filters; a row opens its attempts. */
export function DeliveryLog({
  endpoints,
  filters,
  onFilters,
  onOpen,
}: {
  endpoints: WebhookEndpoint[];
  filters: DeliveryFilters;
  onFilters: (filters: DeliveryFilters) => void;
  onOpen: (id: string) => void;
}) {
  const deliveries = useQuery(webhookQueries.deliveries(filters));
  const urlOf = new Map(endpoints.map((e) => [e.id, e.description || e.url]));
  const endpointChoices = [
    { value: ALL, label: "Every endpoint" },
    ...endpoints.map((e) => ({ value: e.id, label: e.description || e.url })),
  ];
  const set = (patch: Partial<Record<keyof DeliveryFilters, string>>) =>
    onFilters(
      Object.fromEntries(
        Object.entries({ ...filters, ...patch }).filter(([, v]) => v && v !== ALL),
      ) as DeliveryFilters,
    );

  return (
    <section className="flex flex-col gap-3" aria-labelledby="delivery-log-heading">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="delivery-log-heading" className="text-lg font-medium">
          Delivery log
        </h2>
        <div className="flex flex-wrap gap-3">
          <div className="flex flex-col gap-1">
            <Label htmlFor="delivery-endpoint">Endpoint</Label>
            <ChoiceSelect
              id="delivery-endpoint"
              className="w-56"
              value={filters.endpoint_id ?? ALL}
              onValueChange={(v) => set({ endpoint_id: v })}
              choices={endpointChoices}
            />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="delivery-status">Status</Label>
            <ChoiceSelect
              id="delivery-status"
              className="w-40"
              value={filters.status ?? ALL}
              onValueChange={(v) => set({ status: v })}
              choices={STATUS_CHOICES}
            />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="delivery-type">Event</Label>
            <ChoiceSelect
              id="delivery-type"
              className="w-44"
              value={filters.event_type ?? ALL}
              onValueChange={(v) => set({ event_type: v })}
              choices={TYPE_CHOICES}
            />
          </div>
        </div>
      </div>
      {deliveries.isPending ? (
        <div
          role="progressbar"
          aria-busy="true"
          aria-label="Loading deliveries"
          className="flex flex-col gap-2"
        >
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} className="h-10 w-full" />
          ))}
        </div>
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : deliveries.data.data.length === 0 ? (
        <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed py-8 text-center text-sm text-muted-foreground">
          <Inbox className="size-8" aria-hidden />
          {Object.keys(filters).length
            ? "No delivery matches these filters."
            : "No deliveries yet. Send a test event, or run a job, to see one here."}
        </div>
      ) : (
        <Table>
          <caption className="sr-only">Webhook deliveries, newest first</caption>
          <TableHeader>
            <TableRow>
              <TableHead>Event</TableHead>
              <TableHead className="hidden md:table-cell">Endpoint</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="hidden sm:table-cell">Attempts</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>
                <span className="sr-only">Details</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {deliveries.data.data.map((d) => (
              <TableRow key={d.id}>
                <TableCell>
                  <code className="font-mono text-xs">{d.event_type}</code>
                </TableCell>
                <TableCell className="hidden max-w-64 truncate md:table-cell">
                  {urlOf.get(d.endpoint_id) ?? d.endpoint_id}
                </TableCell>
                <TableCell>
                  <span className="flex items-center gap-2">
                    <DeliveryStatusBadge status={d.status} />
                    {d.last_status_code !== null ? (
                      <span className="text-xs text-muted-foreground">HTTP {d.last_status_code}</span>
                    ) : null}
                  </span>
                </TableCell>
                <TableCell className="hidden sm:table-cell">{d.attempts}</TableCell>
                <TableCell>
                  <LocalTime iso={d.created_at} format={relativeOrDate} />
                </TableCell>
                <TableCell className="text-right">
                  <Button
                    type="button"
                    size="sm"
                    variant="ghost"
                    aria-label={`Attempts of ${d.event_type} delivery ${d.id}`}
                    onClick={() => onOpen(d.id)}
                  >
                    Attempts
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
