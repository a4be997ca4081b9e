"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorState } from "@/components/errors/error-state";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { billingQueries } from "@/lib/api/queries/billing";
import { formatCount, formatCredits } from "@/lib/format";
import { LocalTime } from "@/components/common/local-time";

export function BalanceCard() {
  const balance = useQuery(billingQueries.balance());
  const settings = useQuery(billingQueries.settings());
  const low = balance.data && settings.data && balance.data.credits < settings.data.low_balance_credits;
  return (
    <Card className="h-full">
      <CardHeader>
        <CardTitle>
          <h2>Balance</h2>
        </CardTitle>
        <CardDescription>Every job is paid from it; failed jobs are refunded.</CardDescription>
      </CardHeader>
      <CardContent>
        {balance.isPending ? (
          <div
            className="flex flex-col gap-2"
            role="progressbar"
            aria-busy="true"
            aria-label="Loading balance"
          >
            <Skeleton className="h-12 w-48" />
            <Skeleton className="h-4 w-40" />
          </div>
        ) : balance.isLoadingError ? (
          <ErrorState error={balance.error} onRetry={() => void balance.refetch()} />
        ) : (
          <div className="flex flex-col gap-1">
            <p
              className="text-5xl font-semibold tracking-tight tabular-nums"
              data-testid="billing-balance"
              aria-live="polite"
            >
              {formatCount(balance.data.credits)}
              <span className="ml-2 text-base font-normal text-muted-foreground">
                {balance.data.credits === 1 ? "credit" : "credits"}
              </span>
            </p>
            <p className="text-xs text-muted-foreground">
              Updated <LocalTime iso={balance.data.updated_at} />
            </p>
            {settings.data ? (
              <p
                className={
                  low
                    ? "text-xs font-medium text-warning-foreground dark:text-warning"
                    : "text-xs text-muted-foreground"
                }
              >
                {low ? "Under" : "Warning under"} {formatCredits(settings.data.low_balance_credits)}
              </p>
            ) : null}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
