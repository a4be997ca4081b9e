"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import * as React from "react";
import { ErrorState } from "@/components/errors/error-state";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Field, FieldControl, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/api/contract/constants";
import type { WebhookEndpoint } from "@/lib/api/contract/webhook-endpoints.schema";
import { fieldErrors, toErrorUi } from "@/lib/api/error-ui";
import { webhookApi, webhookQueries } from "@/lib/api/queries/webhooks";
import { toast } from "@/lib/toast";
import type { RevealedEndpointSecret } from "./secret-reveal";

export const EVENT_LABELS: Record<WebhookEventType, string> = {
  "job.succeeded": "A job succeeded",
  "job.failed": "A job failed (credits refunded)",
  "job.canceled": "A job was canceled",
  "top_up.succeeded": "A top-up was credited",
  "balance.low": "The balance fell below the low-balance warning",
  "spend.alert": "Spend reached 50, 80 or 100% of a monthly credit limit",
};

/** Add an endpoint (`endpoint` null) or edit one: URL, description, events. */
export function EndpointForm({
  open,
  onOpenChange,
  endpoint,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  endpoint: WebhookEndpoint | null;
  onCreated: (revealed: RevealedEndpointSecret) => void;
}) {
  const queryClient = useQueryClient();
  const [url, setUrl] = React.useState(endpoint?.url ?? "");
  const [description, setDescription] = React.useState(endpoint?.description ?? "");
  const [events, setEvents] = React.useState<WebhookEventType[]>(
    endpoint?.events ?? ["job.succeeded", "job.failed"],
  );

  const save = useMutation({
    gcTime: 0,
    mutationFn: async () => {
      const body = { url: url.trim(), description: description.trim(), events };
      if (endpoint) return { saved: await webhookApi.update({ id: endpoint.id, ...body }), secret: null };
      const created = await webhookApi.create(body);
      return { saved: created, secret: created };
    },
    onSuccess: ({ saved, secret }) => {
      void queryClient.invalidateQueries({ queryKey: webhookQueries.all() });
      toast.success(endpoint ? "Endpoint saved" : "Endpoint added", { description: saved.url });
      onOpenChange(false);
      if (secret) onCreated({ endpoint: secret, mode: "created" });
    },
  });

  const fields = fieldErrors(save.error);
  const hasFieldErrors = Object.keys(fields).length > 0;
  const eventsError = fields.events ?? Object.entries(fields).find(([k]) => k.startsWith("events."))?.[1];

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>{endpoint ? "Edit endpoint" : "Add webhook endpoint"}</DialogTitle>
          <DialogDescription>
            We POST each event as JSON to this URL, signed with the endpoint&apos;s secret, and retry with
            backoff for 24 hours until it answers 2xx.
          </DialogDescription>
        </DialogHeader>
        <form
          className="flex min-w-0 flex-col gap-5"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Field
            id="webhook-url"
            error={fields.url}
            description="https:// only; never a private or internal address."
          >
            <FieldLabel>Endpoint URL</FieldLabel>
            <FieldControl>
              <Input
                value={url}
                type="url"
                inputMode="url"
                placeholder="https://example.com/webhooks/genmedia"
                onChange={(e) => setUrl(e.target.value)}
                autoComplete="off"
              />
            </FieldControl>
            <FieldDescription />
            <FieldError />
          </Field>
          <Field id="webhook-description" error={fields.description}>
            <FieldLabel>Description (optional)</FieldLabel>
            <FieldControl>
              <Input
                value={description}
                maxLength={200}
                placeholder="Order fulfilment service"
                onChange={(e) => setDescription(e.target.value)}
                autoComplete="off"
              />
            </FieldControl>
            <FieldError />
          </Field>
          <fieldset
            className="flex flex-col gap-2"
            aria-describedby={eventsError ? "webhook-events-error" : undefined}
            aria-invalid={eventsError ? true : undefined}
          >
            <legend className="mb-2 text-sm font-medium">Events to send</legend>
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <div key={type} className="flex items-center gap-2">
                <Checkbox
                  id={`webhook-event-${type}`}
                  checked={events.includes(type)}
                  onCheckedChange={(checked) =>
                    setEvents((list) =>
                      checked === true
                        ? [...list.filter((t) => t !== type), type]
                        : list.filter((t) => t !== type),
                    )
                  }
                />
                <Label htmlFor={`webhook-event-${type}`} className="font-normal">
                  <code className="font-mono text-xs">{type}</code>
                  <span className="text-muted-foreground">{EVENT_LABELS[type]}</span>
                </Label>
              </div>
            ))}
            {eventsError ? (
              <p id="webhook-events-error" className="text-sm text-destructive">
                {eventsError}
              </p>
            ) : null}
          </fieldset>
          {hasFieldErrors ? (
            <div role="alert" className="flex flex-col gap-1">
              <p className="text-sm text-destructive">Check the highlighted fields.</p>
              <RequestIdCopy requestId={toErrorUi(save.error).requestId} code={toErrorUi(save.error).code} />
            </div>
          ) : save.error ? (
            <ErrorState error={save.error} />
          ) : null}
          <DialogFooter>
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              {endpoint ? "Save endpoint" : "Add endpoint"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
