"use client";

import { useMutation } from "@tanstack/react-query";
import { CreditCard, ExternalLink, Loader2 } from "lucide-react";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import type { AutoRechargeState } from "@/lib/api/contract/billing.schema";
import { startCardSetup } from "@/lib/api/queries/billing";

/** "Visa •••• 4242" — the saved card as the console names it. */
export function cardLabel(card: NonNullable<AutoRechargeState["payment_method"]>): string {
  const brand = card.brand ? card.brand.charAt(0).toUpperCase() + card.brand.slice(1) : "Card";
  return card.last4 ? `${brand} •••• ${card.last4}` : brand;
}

/**
 * With Stripe: opens Checkout in setup mode (POST /billing/payment-method), then links to it — the
 * card is saved by Stripe's signed webhook, and Checkout returns to /billing. `resume` (Fix payment
 * method) turns auto-recharge back on once the new card is saved.
 */
export function SaveCardAction({ label, resume }: { label: string; resume: boolean }) {
  const setup = useMutation({ mutationFn: () => startCardSetup({ resume_auto_recharge: resume }) });
  if (setup.data) {
    return (
      <Button asChild size="sm" className="w-fit shrink-0">
        <a href={setup.data.url}>
          <ExternalLink aria-hidden />
          Continue to Stripe
        </a>
      </Button>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <Button
        type="button"
        size="sm"
        variant="outline"
        className="w-fit shrink-0"
        onClick={() => setup.mutate()}
        disabled={setup.isPending}
      >
        {setup.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <CreditCard aria-hidden />}
        {label}
      </Button>
      {setup.error ? <ErrorState error={setup.error} /> : null}
    </div>
  );
}
