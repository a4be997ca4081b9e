"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { toast } from "@/lib/toast";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { billingQueries, createTopUp, perCreditPrice } from "@/lib/api/queries/billing";
import { idempotencyKeyFor } from "@/lib/api/query-client";
import { formatCredits, formatMoney } from "@/lib/format";

/** The packs as cards. Test mode credits at once; with Stripe the browser goes to Checkout. */
export function PacksCard() {
  const queryClient = useQueryClient();
  const packs = useQuery(billingQueries.packs());
  const buy = useMutation({
    mutationFn: (vars: { pack: string }) => createTopUp(vars, idempotencyKeyFor(vars)),
    onSuccess: (topUp) => {
      if (topUp.status === "pending" && topUp.checkout_url) {
        window.location.assign(topUp.checkout_url);
        return;
      }
      void queryClient.invalidateQueries({ queryKey: billingQueries.all() });
      toast.success(`Added ${formatCredits(topUp.credits)}`, {
        description: topUp.provider === "test" ? "Test mode: no payment was taken." : undefined,
      });
    },
  });
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
        <CardDescription>One-off packs. Credits never expire.</CardDescription>
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
              const busy = buy.isPending && buy.variables?.pack === pack.id;
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
                    {pack.credits.toLocaleString("en-US")}
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
                    disabled={buy.isPending}
                    aria-label={`Buy ${pack.name}: ${formatCredits(pack.credits)} for ${formatMoney(pack.price_cents, pack.currency)}`}
                    onClick={() => buy.mutate({ pack: pack.id })}
                  >
                    {busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
                    Buy {pack.name}
                  </Button>
                </li>
              );
            })}
          </ul>
        )}
        {buy.error ? (
          <ErrorState error={buy.error} onRetry={() => buy.variables && buy.mutate(buy.variables)} />
        ) : null}
      </CardContent>
    </Card>
  );
}
