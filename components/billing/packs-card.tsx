"use client";

import { useQuery } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { billingQueries, perCreditPrice } from "@/lib/api/queries/billing";
import { formatCount, formatCredits, formatMoney } from "@/lib/format";
import { CheckoutPending } from "./checkout-pending";
import { usePackPurchase } from "./use-pack-purchase";

/**
 * The packs as cards, bought through the console's one purchase flow (usePackPurchase): test mode
 * credits at once; with Stripe, Checkout opens in its own tab and the card waits for the payment.
 */
/** `canBuy`: false for a member whose role can't change billing — the buttons are disabled, with why. */
export function PacksCard({ canBuy = true }: { canBuy?: boolean }) {
  const packs = useQuery(billingQueries.packs());
  const purchase = usePackPurchase();
  const { step } = purchase;
  const checkingOut = step.kind === "checkout";
  const bestValue = packs.data?.data.reduce<string | null>((best, p, _, all) => {
    const rate = (x: { price_cents: number; credits: number }) => x.price_cents / x.credits;
    const current = all.find((x) => x.id === best);
    return !current || rate(p) < rate(current) ? p.id : best;
  }, null);

  return (
    <Card className="h-full">
      <CardHeader>
        <CardTitle>
          <h2>Buy credits</h2>
        </CardTitle>
        <CardDescription id={canBuy ? undefined : "packs-read-only"}>
          {canBuy
            ? "One-off packs. Credits never expire."
            : "Only owners, admins and billing members can buy credits."}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {packs.isPending ? (
          <div
            className="grid gap-3 sm:grid-cols-3"
            role="progressbar"
            aria-busy="true"
            aria-label="Loading packs"
          >
            {Array.from({ length: 3 }, (_, i) => (
              <Skeleton key={i} className="h-40 w-full" />
            ))}
          </div>
        ) : packs.isLoadingError ? (
          <ErrorState error={packs.error} onRetry={() => void packs.refetch()} />
        ) : packs.data.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">No packs are on sale right now.</p>
        ) : (
          <ul className="grid gap-3 sm:grid-cols-3" aria-label="Packs">
            {packs.data.data.map((pack) => {
              const busy = purchase.pendingPack === pack.id;
              return (
                <li
                  key={pack.id}
                  className="relative flex flex-col gap-3 rounded-lg border bg-background p-4 shadow-xs"
                >
                  <div className="flex items-center justify-between gap-2">
                    <h3 className="font-medium">{pack.name}</h3>
                    {pack.id === bestValue && packs.data.data.length > 1 ? (
                      <span className="rounded-full bg-success/15 px-2 py-0.5 text-xs font-medium text-success">
                        Best value
                      </span>
                    ) : null}
                  </div>
                  <p className="text-2xl font-semibold tabular-nums">
                    {formatCount(pack.credits)}
                    <span className="ml-1 text-sm font-normal text-muted-foreground">credits</span>
                  </p>
                  <div className="text-sm">
                    <p className="font-medium tabular-nums">{formatMoney(pack.price_cents, pack.currency)}</p>
                    <p className="text-xs text-muted-foreground tabular-nums">
                      {perCreditPrice(pack)} per credit
                    </p>
                  </div>
                  <Button
                    type="button"
                    className="mt-auto"
                    disabled={!canBuy || purchase.isPending || checkingOut}
                    aria-describedby={canBuy ? undefined : "packs-read-only"}
                    aria-label={`Buy ${pack.name}: ${formatCredits(pack.credits)} for ${formatMoney(pack.price_cents, pack.currency)}`}
                    onClick={() => purchase.buy(pack.id)}
                  >
                    {busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
                    Buy {pack.name}
                  </Button>
                </li>
              );
            })}
          </ul>
        )}
        {step.kind === "checkout" ? (
          <CheckoutPending topUp={step.topUp} onPaid={purchase.paid} onDismiss={purchase.reset} />
        ) : null}
        {purchase.error ? <ErrorState error={purchase.error} onRetry={purchase.retry} /> : null}
      </CardContent>
    </Card>
  );
}
