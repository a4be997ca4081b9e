"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import * as React from "react";
import type { TopUp } from "@/lib/api/contract/billing.schema";
import { billingQueries, createTopUp } from "@/lib/api/queries/billing";
import { idempotencyKeyFor } from "@/lib/api/query-client";
import { formatCredits } from "@/lib/format";
import { toast } from "@/lib/toast";

export type PurchaseStep =
  { kind: "choose" } | { kind: "checkout"; topUp: TopUp } | { kind: "paid"; topUp: TopUp; at: number };

/**
 * Buying a pack, the one way the console does it (the Billing page and the top-up prompt alike):
 * test mode credits at once; with Stripe, the top-up waits in `checkout` while the person pays in a
 * Checkout tab of their own (this page, and whatever action it was blocked on, stays as it was) and
 * `<CheckoutPending>` polls it until the webhook lands. Either way: the billing queries refresh, a
 * toast says what was added, and the step is `paid`.
 */
export function usePackPurchase() {
  const queryClient = useQueryClient();
  const [step, setStep] = React.useState<PurchaseStep>({ kind: "choose" });

  const paid = React.useCallback(
    (topUp: TopUp) => {
      void queryClient.invalidateQueries({ queryKey: billingQueries.all() });
      toast.success(`Added ${formatCredits(topUp.credits)}`, {
        description: topUp.provider === "test" ? "Test mode: no payment was taken." : "Payment received.",
      });
      setStep({ kind: "paid", topUp, at: Date.now() });
    },
    [queryClient],
  );

  const mutation = useMutation({
    mutationFn: (vars: { pack: string }) => createTopUp(vars, idempotencyKeyFor(vars)),
    onSuccess: (topUp) => {
      if (topUp.status === "succeeded") paid(topUp);
      else setStep({ kind: "checkout", topUp });
    },
  });

  return {
    step,
    /** Starts (or, with the same pack, idempotently repeats) a purchase. */
    buy: (pack: string) => mutation.mutate({ pack }),
    /** Back to choosing a pack (a closed Checkout, a declined payment). */
    reset: () => {
      mutation.reset();
      setStep({ kind: "choose" });
    },
    paid,
    isPending: mutation.isPending,
    pendingPack: mutation.isPending ? mutation.variables?.pack : undefined,
    error: mutation.error,
    retry: () => mutation.variables && mutation.mutate(mutation.variables),
  };
}
