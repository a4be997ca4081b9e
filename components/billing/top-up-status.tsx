"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Clock, Loader2, XCircle } from "lucide-react";
import Link from "next/link";
import * as React from "react";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { TopUp } from "@/lib/api/contract/billing.schema";
import { billingQueries } from "@/lib/api/queries/billing";
import { formatCredits, formatMoney } from "@/lib/format";

/**
 * One top-up, and Stripe Checkout's return page: while the top-up is pending it re-reads it every 2 s
 * until the signed webhook has credited it (the redirect itself proves nothing), then refreshes the
 * balance everywhere.
 */
export function TopUpStatus({
  topUpId,
  checkout,
}: {
  topUpId: string;
  checkout: "success" | "canceled" | null;
}) {
  const queryClient = useQueryClient();
  const topUp = useQuery(billingQueries.topUp(topUpId));
  const status = topUp.data?.status;
  // Credited while this page watched: what billing shows elsewhere (the header's balance) is out of date.
  // Already credited when the page was rendered, the server read the balance after it: nothing to redo.
  const shown = React.useRef(status);
  React.useEffect(() => {
    if (status === "succeeded" && shown.current !== "succeeded")
      void queryClient.invalidateQueries({ queryKey: billingQueries.all() });
    shown.current = status;
  }, [status, queryClient]);

  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/billing" className="text-sm text-muted-foreground underline-offset-4 hover:underline">
          ← Billing
        </Link>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">Top-up</h1>
        <p className="font-mono text-xs text-muted-foreground">{topUpId}</p>
      </div>
      {topUp.isPending ? (
        <Skeleton
          className="h-40 w-full max-w-xl"
          role="progressbar"
          aria-busy="true"
          aria-label="Loading top-up"
        />
      ) : topUp.isLoadingError ? (
        topUp.error.code === "not_found" ? (
          <Card className="max-w-xl">
            <CardHeader>
              <CardTitle>
                <h2>No such top-up</h2>
              </CardTitle>
              <CardDescription>
                There is no top-up <code className="font-mono">{topUpId}</code> on this account.
              </CardDescription>
            </CardHeader>
          </Card>
        ) : (
          <ErrorState error={topUp.error} onRetry={() => void topUp.refetch()} className="max-w-xl" />
        )
      ) : (
        <StatusCard topUp={topUp.data} checkout={checkout} />
      )}
    </div>
  );
}

function StatusCard({ topUp, checkout }: { topUp: TopUp; checkout: "success" | "canceled" | null }) {
  const price = formatMoney(topUp.price_cents, topUp.currency);
  const view = {
    succeeded: {
      icon: <CheckCircle2 className="size-6 text-success" aria-hidden />,
      title: `Added ${formatCredits(topUp.credits)}`,
      body: `${topUp.provider === "test" ? "Test mode: no payment was taken." : `Paid ${price}.`} The credits are in your balance.`,
    },
    pending:
      checkout === "canceled"
        ? {
            icon: <XCircle className="size-6 text-muted-foreground" aria-hidden />,
            title: "Payment not completed",
            body: "You left Stripe Checkout before paying. Nothing was charged and no credits were added.",
          }
        : {
            icon: <Loader2 className="size-6 animate-spin text-muted-foreground" aria-hidden />,
            title: "Waiting for the payment to be confirmed…",
            body: `Stripe confirms ${price} for ${formatCredits(topUp.credits)} by a signed message to us; this page updates by itself when it arrives.`,
          },
    failed: {
      icon: <XCircle className="size-6 text-destructive" aria-hidden />,
      title: "Payment failed",
      body: "The payment did not go through. Nothing was added; try again from Billing.",
    },
    canceled: {
      icon: <Clock className="size-6 text-muted-foreground" aria-hidden />,
      title: "Checkout expired",
      body: "This checkout was not completed in time. Nothing was charged.",
    },
  }[topUp.status];
  return (
    <Card className="max-w-xl">
      <CardHeader>
        <div role="status" className="flex items-start gap-3">
          {view.icon}
          <div className="flex flex-col gap-1">
            <CardTitle>
              <h2>{view.title}</h2>
            </CardTitle>
            <CardDescription>{view.body}</CardDescription>
          </div>
        </div>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted-foreground">Pack</dt>
          <dd>{topUp.pack}</dd>
          <dt className="text-muted-foreground">Credits</dt>
          <dd className="tabular-nums">{formatCredits(topUp.credits)}</dd>
          <dt className="text-muted-foreground">Price</dt>
          <dd className="tabular-nums">{price}</dd>
          <dt className="text-muted-foreground">Started</dt>
          <dd>
            <LocalTime iso={topUp.created_at} />
          </dd>
          {topUp.completed_at ? (
            <>
              <dt className="text-muted-foreground">Completed</dt>
              <dd>
                <LocalTime iso={topUp.completed_at} />
              </dd>
            </>
          ) : null}
        </dl>
        <div className="flex flex-wrap gap-2">
          {topUp.status === "pending" && topUp.checkout_url && checkout === "canceled" ? (
            <Button asChild>
              <a href={topUp.checkout_url}>Return to Stripe Checkout</a>
            </Button>
          ) : null}
          <Button
            asChild
            variant={topUp.status === "pending" && checkout === "canceled" ? "outline" : "default"}
          >
            <Link href="/billing">Back to Billing</Link>
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}
