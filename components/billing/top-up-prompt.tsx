"use client";

import { useQuery } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import * as React from "react";
import { ErrorState } from "@/components/errors/error-state";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import type { TopUpPromptProps } from "@/components/errors/top-up-slot";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/api/errors";
import { billingQueries, smallestCoveringPack } from "@/lib/api/queries/billing";
import { formatMoney } from "@/lib/format";
import { CheckoutPending } from "./checkout-pending";
import { Figure, PackChoice, PaidSummary } from "./top-up-prompt-parts";
import { usePackPurchase } from "./use-pack-purchase";

/**
 * The insufficient_balance UI state: dialog "Top up credits" with what the action needs, what the
 * balance has and the shortfall; the smallest pack that covers it is preselected. Paying is the
 * console's one purchase flow (usePackPurchase: test mode credits at once; Stripe Checkout in a new
 * tab, polled until the webhook lands). Then it offers to run the blocked action again.
 * The app layer hands it to the error UI (TopUpPromptProvider), so errors/ never imports billing.
 */
export function TopUpPrompt({
  error,
  onResolved,
  onDismiss,
  resolvedLabel = "Run it again",
}: TopUpPromptProps) {
  const [dismissed, setDismissed] = React.useState<unknown>(null);
  const open = isInsufficientBalance(error) && error !== dismissed;

  const close = () => {
    setDismissed(error);
    onDismiss?.();
  };

  return (
    <Dialog open={open} onOpenChange={(next) => (next ? undefined : close())}>
      <DialogContent className="sm:max-w-xl">
        {open && isInsufficientBalance(error) ? (
          <PromptBody
            error={error}
            resolvedLabel={resolvedLabel}
            onResolved={
              onResolved
                ? () => {
                    setDismissed(error);
                    onResolved();
                  }
                : undefined
            }
            onClose={close}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

export function isInsufficientBalance(error: unknown): error is ApiError {
  // A monthly credit limit's refusal is not a balance problem: no top-up dialog for it.
  return (
    ApiError.is(error) && error.code === "insufficient_balance" && error.details.reason !== "spend_limit"
  );
}

/** required / available from the 402's details (numbers by contract; anything else reads as 0). */
export function shortfallOf(error: ApiError) {
  const required = toCount(error.details.required);
  const available = toCount(error.details.available);
  return { required, available, shortfall: Math.max(0, required - available) };
}

const toCount = (v: unknown) =>
  typeof v === "number" && Number.isFinite(v) ? Math.max(0, Math.trunc(v)) : 0;

function PromptBody({
  error,
  resolvedLabel,
  onResolved,
  onClose,
}: {
  error: ApiError;
  resolvedLabel: string;
  onResolved?: () => void;
  onClose: () => void;
}) {
  const { required, available, shortfall } = shortfallOf(error);
  const packs = useQuery(billingQueries.packs());
  const [chosen, setChosen] = React.useState<string | null>(null);
  const purchase = usePackPurchase();
  const { step } = purchase;
  const suggested = packs.data ? smallestCoveringPack(packs.data.data, shortfall) : undefined;
  const selected = packs.data?.data.find((p) => p.id === chosen) ?? suggested;

  return (
    <>
      <DialogHeader>
        <DialogTitle>Top up credits</DialogTitle>
        <DialogDescription>
          {step.kind === "paid"
            ? "Credits added."
            : "That needs more credits than your balance holds. Nothing was charged."}
        </DialogDescription>
      </DialogHeader>

      <dl className="grid grid-cols-3 gap-2 rounded-lg border bg-muted/40 p-3 text-center">
        <Figure label="Required" value={required} />
        <Figure label="Available" value={available} />
        <Figure label="Shortfall" value={shortfall} strong />
      </dl>
      <RequestIdCopy requestId={error.requestId} code={error.code} />

      {step.kind === "choose" ? (
        packs.isPending ? (
          <div className="flex flex-col gap-2" role="progressbar" aria-busy="true" aria-label="Loading packs">
            <Skeleton className="h-14 w-full" />
            <Skeleton className="h-14 w-full" />
          </div>
        ) : packs.isLoadingError ? (
          <ErrorState error={packs.error} onRetry={() => void packs.refetch()} />
        ) : (
          <PackChoice
            packs={packs.data.data}
            selected={selected?.id}
            suggested={suggested?.id}
            shortfall={shortfall}
            onSelect={setChosen}
            disabled={purchase.isPending}
          />
        )
      ) : null}

      {step.kind === "checkout" ? (
        <CheckoutPending topUp={step.topUp} onPaid={purchase.paid} onDismiss={purchase.reset} />
      ) : null}

      {step.kind === "paid" ? (
        <PaidSummary
          topUp={step.topUp}
          paidAt={step.at}
          required={required}
          canResume={Boolean(onResolved)}
        />
      ) : null}

      {purchase.error ? <ErrorState error={purchase.error} /> : null}

      <DialogFooter>
        {step.kind === "paid" && onResolved ? (
          <>
            <Button type="button" variant="outline" onClick={onClose}>
              Not now
            </Button>
            <Button type="button" autoFocus onClick={onResolved}>
              {resolvedLabel}
            </Button>
          </>
        ) : step.kind === "paid" ? (
          <Button type="button" autoFocus onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            <Button type="button" variant="outline" onClick={onClose}>
              Cancel
            </Button>
            {step.kind === "choose" ? (
              <Button
                type="button"
                disabled={!selected || purchase.isPending}
                onClick={() => selected && purchase.buy(selected.id)}
              >
                {purchase.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
                {selected ? `Pay ${formatMoney(selected.price_cents, selected.currency)}` : "Pay"}
              </Button>
            ) : null}
          </>
        )}
      </DialogFooter>
    </>
  );
}
