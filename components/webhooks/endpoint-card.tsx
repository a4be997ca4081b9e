"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, Loader2, Pencil, RefreshCw, Send, Trash2 } from "lucide-react";
import * as React from "react";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Switch } from "@/components/ui/switch";
import type { WebhookEndpoint } from "@/lib/api/contract/webhook-endpoints.schema";
import { webhookApi, webhookQueries } from "@/lib/api/queries/webhooks";
import { relativeOrDate } from "@/lib/format";
import { toast } from "@/lib/toast";
import type { RevealedEndpointSecret } from "./secret-reveal";

/** One endpoint: its URL and events, its state, and what can be done with it. */
export function EndpointCard({
  endpoint,
  onEdit,
  onRolled,
  onShowDeliveries,
}: {
  endpoint: WebhookEndpoint;
  onEdit: () => void;
  onRolled: (revealed: RevealedEndpointSecret) => void;
  onShowDeliveries: () => void;
}) {
  const queryClient = useQueryClient();
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: webhookQueries.all() });
  const label = endpoint.description || endpoint.url;

  const sendTest = useMutation({
    mutationFn: webhookApi.sendTest,
    onSuccess: () => {
      invalidate();
      toast.success("Test event queued", { description: "Its attempt appears in the delivery log below." });
      onShowDeliveries();
    },
  });
  const toggle = useMutation({ mutationFn: webhookApi.update, onSuccess: invalidate });
  const roll = useMutation({
    gcTime: 0,
    mutationFn: webhookApi.rollSecret,
    onSuccess: (rolled) => {
      invalidate();
      onRolled({ endpoint: rolled, mode: "rolled" });
    },
  });
  const remove = useMutation({
    mutationFn: webhookApi.remove,
    onSuccess: () => {
      invalidate();
      toast.success("Endpoint deleted", { description: endpoint.url });
    },
  });
  const error = sendTest.error ?? toggle.error ?? roll.error ?? remove.error;

  return (
    <li className="flex flex-col gap-3 rounded-lg border p-4" aria-label={`Endpoint ${label}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 flex-col gap-1">
          <code className="font-mono text-sm break-all">{endpoint.url}</code>
          {endpoint.description ? (
            <span className="text-sm text-muted-foreground">{endpoint.description}</span>
          ) : null}
          <div className="flex flex-wrap gap-1 pt-1">
            {endpoint.events.map((type) => (
              <Badge key={type} variant="outline" className="font-mono">
                {type}
              </Badge>
            ))}
          </div>
        </div>
        <div className="flex items-center gap-2">
          {endpoint.failing_since && endpoint.enabled ? (
            <Badge variant="warning">
              Failing since <LocalTime iso={endpoint.failing_since} format={relativeOrDate} />
            </Badge>
          ) : null}
          <Switch
            id={`enabled-${endpoint.id}`}
            checked={endpoint.enabled}
            disabled={toggle.isPending}
            aria-label={`Send events to ${label}`}
            onCheckedChange={(enabled) => toggle.mutate({ id: endpoint.id, enabled })}
          />
          <label htmlFor={`enabled-${endpoint.id}`} className="text-sm">
            {endpoint.enabled ? "Enabled" : "Disabled"}
          </label>
        </div>
      </div>

      {endpoint.disabled_reason && !endpoint.enabled ? (
        <div
          role="alert"
          className="flex flex-wrap items-start gap-2 rounded-md border border-warning/50 bg-warning/10 p-3 text-sm"
        >
          <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <p className="min-w-0 flex-1">
            <strong>Turned off by the platform</strong>
            {endpoint.disabled_at ? (
              <>
                {" "}
                (<LocalTime iso={endpoint.disabled_at} format={relativeOrDate} />)
              </>
            ) : null}
            : {endpoint.disabled_reason} Fix the receiver, then switch the endpoint on again.
          </p>
        </div>
      ) : null}

      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs text-muted-foreground">
          Secret <code className="font-mono">{endpoint.secret_prefix}…</code>
        </span>
        <div className="ml-auto flex flex-wrap gap-2">
          <Button
            type="button"
            variant="outline"
            size="sm"
            disabled={sendTest.isPending}
            aria-label={`Send test event to ${label}`}
            onClick={() => sendTest.mutate({ id: endpoint.id })}
          >
            {sendTest.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}
            Send test event
          </Button>
          <Button type="button" variant="outline" size="sm" aria-label={`Edit ${label}`} onClick={onEdit}>
            <Pencil aria-hidden />
            Edit
          </Button>
          <AlertDialog>
            <AlertDialogTrigger asChild>
              <Button
                type="button"
                variant="outline"
                size="sm"
                disabled={roll.isPending}
                aria-label={`Roll secret of ${label}`}
              >
                <RefreshCw aria-hidden />
                Roll secret
              </Button>
            </AlertDialogTrigger>
            <AlertDialogContent>
              <AlertDialogHeader>
                <AlertDialogTitle>Roll the signing secret?</AlertDialogTitle>
                <AlertDialogDescription>
                  Deliveries are signed with the new secret at once: your receiver fails to verify them until
                  it has the new one.
                </AlertDialogDescription>
              </AlertDialogHeader>
              <AlertDialogFooter>
                <AlertDialogCancel>Cancel</AlertDialogCancel>
                <AlertDialogAction onClick={() => roll.mutate({ id: endpoint.id })}>
                  Roll secret
                </AlertDialogAction>
              </AlertDialogFooter>
            </AlertDialogContent>
          </AlertDialog>
          <AlertDialog>
            <AlertDialogTrigger asChild>
              <Button
                type="button"
                variant="destructive"
                size="sm"
                disabled={remove.isPending}
                aria-label={`Delete ${label}`}
              >
                <Trash2 aria-hidden />
                Delete
              </Button>
            </AlertDialogTrigger>
            <AlertDialogContent>
              <AlertDialogHeader>
                <AlertDialogTitle>Delete this endpoint?</AlertDialogTitle>
                <AlertDialogDescription>
                  {endpoint.url} stops receiving events, and its delivery log is deleted with it. Pending
                  retries are not sent.
                </AlertDialogDescription>
              </AlertDialogHeader>
              <AlertDialogFooter>
                <AlertDialogCancel>Cancel</AlertDialogCancel>
                <AlertDialogAction onClick={() => remove.mutate({ id: endpoint.id })}>
                  Delete endpoint
                </AlertDialogAction>
              </AlertDialogFooter>
            </AlertDialogContent>
          </AlertDialog>
        </div>
      </div>
      {error ? <ErrorState error={error} /> : null}
    </li>
  );
}
