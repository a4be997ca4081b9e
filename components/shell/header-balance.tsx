"use client";

import { useQuery } from "@tanstack/react-query";
import { Coins } from "lucide-react";
import { Skeleton } from "@/components/ui/skeleton";
import { billingQueries } from "@/lib/api/queries/billing";
import { formatCredits } from "@/lib/format";

export function HeaderBalance() {
  const balance = useQuery(billingQueries.balance());
  if (balance.isPending) return <Skeleton className="h-6 w-24" />;
  if (balance.isLoadingError) return null;
  return (
    <span
      className="flex items-center gap-1.5 rounded-md border px-2 py-1 text-sm tabular-nums"
      aria-label={`Balance: ${formatCredits(balance.data.credits)}`}
    >
      <Coins className="size-4 text-muted-foreground" aria-hidden />
      {formatCredits(balance.data.credits)}
    </span>
  );
}
