"use client";

import { useQuery } from "@tanstack/react-query";
import { Plus, Webhook } from "lucide-react";
import * as React from "react";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { WebhookEndpoint } from "@/lib/api/contract/webhook-endpoints.schema";
import { type DeliveryFilters, webhookQueries } from "@/lib/api/queries/webhooks";
import { DeliveryDetail } from "./delivery-detail";
import { DeliveryLog } from "./delivery-log";
import { EndpointCard } from "./endpoint-card";
import { EndpointForm } from "./endpoint-form";
import { type RevealedEndpointSecret, SecretReveal } from "./secret-reveal";
import { VerifySnippet } from "./verify-snippet";

/** /webhooks: the customer's endpoints, their delivery log, and how to verify a delivery. */
export function WebhooksView() {
  const endpoints = useQuery(webhookQueries.endpoints());
  const list = endpoints.data?.data ?? [];
  const [form, setForm] = React.useState<{ endpoint: WebhookEndpoint | null; key: number } | null>(null);
  const [revealed, setRevealed] = React.useState<RevealedEndpointSecret | null>(null);
  const [filters, setFilters] = React.useState<DeliveryFilters>({});
  const [open, setOpen] = React.useState<string | null>(null);
  const add = () => setForm({ endpoint: null, key: Date.now() });

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Webhooks</h1>
          <p className="text-sm text-muted-foreground">
            Your server hears of finished jobs, top-ups and a low balance as signed HTTPS requests, instead of
            polling.
          </p>
        </div>
        <Button type="button" onClick={add}>
          <Plus aria-hidden />
          Add endpoint
        </Button>
      </div>

      {endpoints.isPending ? (
        <Card role="progressbar" aria-busy="true" aria-label="Loading webhook endpoints">
          <CardContent className="flex flex-col gap-3">
            {Array.from({ length: 2 }, (_, i) => (
              <Skeleton key={i} className="h-24 w-full" />
            ))}
          </CardContent>
        </Card>
      ) : endpoints.isError ? (
        <ErrorState error={endpoints.error} onRetry={() => void endpoints.refetch()} />
      ) : list.length === 0 ? (
        <Card>
          <CardContent className="flex flex-col items-center gap-3 py-10 text-center">
            <Webhook className="size-10 text-muted-foreground" aria-hidden />
            <h2 className="text-lg font-medium">No webhook endpoints yet</h2>
            <p className="max-w-md text-sm text-muted-foreground">
              Add an https:// URL of your server and choose the events it should receive. Its signing secret
              is shown once, when you add it.
            </p>
            <Button type="button" variant="outline" onClick={add}>
              <Plus aria-hidden />
              Add your first endpoint
            </Button>
          </CardContent>
        </Card>
      ) : (
        <Card>
          <CardContent>
            <ul className="flex flex-col gap-3" aria-label="Webhook endpoints">
              {list.map((endpoint) => (
                <EndpointCard
                  key={endpoint.id}
                  endpoint={endpoint}
                  onEdit={() => setForm({ endpoint, key: Date.now() })}
                  onRolled={setRevealed}
                  onShowDeliveries={() => setFilters({ endpoint_id: endpoint.id })}
                />
              ))}
            </ul>
          </CardContent>
        </Card>
      )}

      {list.length > 0 ? (
        <Card>
          <CardContent>
            <DeliveryLog endpoints={list} filters={filters} onFilters={setFilters} onOpen={setOpen} />
          </CardContent>
        </Card>
      ) : null}

      <VerifySnippet />

      {form ? (
        <EndpointForm
          key={form.key}
          open
          onOpenChange={(next) => (next ? undefined : setForm(null))}
          endpoint={form.endpoint}
          onCreated={setRevealed}
        />
      ) : null}
      <SecretReveal revealed={revealed} onDone={() => setRevealed(null)} />
      <DeliveryDetail id={open} onClose={() => setOpen(null)} />
    </div>
  );
}
