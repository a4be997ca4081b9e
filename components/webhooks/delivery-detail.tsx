"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2, RotateCw } from "lucide-react";
import { DeliveryStatusBadge } from "@/components/common/delivery-status";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import type { WebhookAttempt } from "@/lib/api/contract/webhook-endpoints.schema";
import { webhookApi, webhookQueries } from "@/lib/api/queries/webhooks";
import { formatDuration, formatTimestamp } from "@/lib/format";
import { toast } from "@/lib/toast";

/** One delivery: every attempt's request and response, and Resend. */
export function DeliveryDetail({ id, onClose }: { id: string | null; onClose: () => void }) {
  return (
    <Dialog open={id !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-3xl">
        {id ? <DeliveryBody id={id} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function DeliveryBody({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const delivery = useQuery(webhookQueries.delivery(id));
  const resend = useMutation({
    mutationFn: webhookApi.resend,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: webhookQueries.deliveryLists() });
      toast.success("Resent", { description: "A new delivery of the same event is on its way." });
    },
  });
  const d = delivery.data;
  return (
    <>
      <DialogHeader>
        <DialogTitle>
          Delivery {d ? <code className="font-mono text-base">{d.event_type}</code> : null}
        </DialogTitle>
        <DialogDescription>
          {d ? (
            <>
              Event <code className="font-mono">{d.event_id}</code> · delivery{" "}
              <code className="font-mono">{d.id}</code>
            </>
          ) : (
            "Loading the delivery"
          )}
        </DialogDescription>
      </DialogHeader>
      {delivery.isPending ? (
        <div
          role="progressbar"
          aria-busy="true"
          aria-label="Loading delivery"
          className="h-32 animate-pulse rounded-md bg-muted/50"
        />
      ) : delivery.isError ? (
        <ErrorState error={delivery.error} onRetry={() => void delivery.refetch()} />
      ) : d ? (
        <div className="flex min-w-0 flex-col gap-4">
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <DeliveryStatusBadge status={d.status} />
            <span>
              {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
            </span>
            {d.next_attempt_at ? (
              <span className="text-muted-foreground">
                Next try <LocalTime iso={d.next_attempt_at} format={formatTimestamp} />
              </span>
            ) : null}
            <Button
              type="button"
              size="sm"
              variant="outline"
              className="ml-auto"
              disabled={resend.isPending}
              onClick={() => resend.mutate({ id: d.id })}
            >
              {resend.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <RotateCw aria-hidden />}
              Resend
            </Button>
          </div>
          {resend.error ? <ErrorState error={resend.error} /> : null}
          {d.attempts_log.length === 0 ? (
            <p className="text-sm text-muted-foreground">No attempt yet: it is due now.</p>
          ) : (
            <ol className="flex flex-col gap-3" aria-label="Attempts">
              {d.attempts_log.map((a) => (
                <Attempt key={a.id} attempt={a} />
              ))}
            </ol>
          )}
        </div>
      ) : null}
    </>
  );
}

function Attempt({ attempt }: { attempt: WebhookAttempt }) {
  return (
    <li
      className="flex flex-col gap-2 rounded-md border p-3 text-sm"
      aria-label={`Attempt ${attempt.attempt}`}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <strong>Attempt {attempt.attempt}</strong>
        <span className={attempt.ok ? "text-success" : "text-destructive"}>
          {attempt.status_code !== null ? `HTTP ${attempt.status_code}` : "No answer"}
        </span>
        <span className="text-muted-foreground">{formatDuration(attempt.duration_ms)}</span>
        <LocalTime iso={attempt.started_at} format={formatTimestamp} />
      </div>
      {attempt.error ? <p className="text-destructive">{attempt.error}</p> : null}
      <details>
        <summary className="cursor-pointer text-muted-foreground">Request</summary>
        <pre className="mt-2 overflow-x-auto rounded bg-muted p-2 font-mono text-xs whitespace-pre-wrap break-all">
          {Object.entries(attempt.request.headers)
            .map(([k, v]) => `${k}: ${v}`)
            .join("\n")}
          {"\n\n"}
          {attempt.request.body}
        </pre>
      </details>
      {attempt.response ? (
        <details>
          <summary className="cursor-pointer text-muted-foreground">Response</summary>
          <pre className="mt-2 overflow-x-auto rounded bg-muted p-2 font-mono text-xs whitespace-pre-wrap break-all">
            {Object.entries(attempt.response.headers)
              .map(([k, v]) => `${k}: ${v}`)
              .join("\n")}
            {"\n\n"}
            {attempt.response.body_excerpt || "(empty body)"}
          </pre>
        </details>
      ) : null}
    </li>
  );
}
