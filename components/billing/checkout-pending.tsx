"use client";

import { useQuery } from "@tanstack/react-query";
import { ExternalLink, Loader2 } from "lucide-react";
import * as React from "react";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import type { TopUp } from "@/lib/api/contract/billing.schema";
import { billingQueries } from "@/lib/api/queries/billing";
import { formatMoney } from "@/lib/format";

/**
 * A Stripe top-up waiting for its payment: Checkout opens in a new tab (a link the person clicks, so
 * no popup blocker, and this page keeps its state); the top-up is polled until the webhook lands.
 */
export function CheckoutPending({
  topUp,
  onPaid,
  onDismiss,
}: {
  topUp: TopUp;
  onPaid: (topUp: TopUp) => void;
  /** Offered once the payment failed or was canceled: back to choosing a pack. */
  onDismiss?: () => void;
}) {
  const status = useQuery(billingQueries.topUp(topUp.id));
  const current = status.data ?? topUp;
  React.useEffect(() => {
    if (status.data?.status === "succeeded") onPaid(status.data);
  }, [status.data, onPaid]);

  if (current.status === "failed" || current.status === "canceled") {
    return (
      <div className="flex flex-col items-start gap-2 text-sm">
        <p role="status">
          The payment was {current.status === "failed" ? "declined" : "canceled"}; nothing was added.
        </p>
        {onDismiss ? (
          <Button type="button" variant="outline" size="sm" onClick={onDismiss}>
            Choose a pack again
          </Button>
        ) : null}
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-3 rounded-lg border p-3 text-sm">
      <p>Finish paying {formatMoney(topUp.price_cents, topUp.currency)} in Stripe Checkout.</p>
      {topUp.checkout_url ? (
        <Button asChild variant="secondary" className="w-fit">
          <a href={topUp.checkout_url} target="_blank" rel="noopener noreferrer">
            Open Stripe Checkout
            <ExternalLink aria-hidden />
          </a>
        </Button>
      ) : null}
      <p role="status" className="flex items-center gap-2 text-muted-foreground">
        <Loader2 className="size-4 animate-spin" aria-hidden />
        Waiting for Stripe to confirm the payment…
      </p>
      {status.isLoadingError ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      ) : null}
    </div>
  );
}
