"use client";

import { useQuery } from "@tanstack/react-query";
import { Coins } from "lucide-react";
import Link from "next/link";
import { billingQueries } from "@/lib/api/queries/billing";
import { formatCredits } from "@/lib/format";

/**
 * Shown on every console page while the balance is under the customer's low-balance threshold. A
 * labelled region, not an alert: it is standing information, not an event to interrupt with.
 */
export function LowBalanceBanner() {
  const balance = useQuery(billingQueries.balance());
  const settings = useQuery(billingQueries.settings());
  if (!balance.data || !settings.data) return null;
  const { credits } = balance.data;
  const threshold = settings.data.low_balance_credits;
  if (credits >= threshold) return null;
  return (
    <div
      role="region"
      aria-label="Low balance"
      className="flex flex-col gap-2 border-b border-warning/50 bg-warning/15 px-4 py-2.5 text-sm sm:flex-row sm:items-center sm:justify-between"
    >
      <p className="flex items-center gap-2">
        <Coins className="size-4 shrink-0" aria-hidden />
        <span>
          <strong>Low balance:</strong> {formatCredits(credits)} left, under your warning level of{" "}
          {formatCredits(threshold)}. Jobs that cost more than your balance are refused.
        </span>
      </p>
      <Link
        href="/billing"
        className="w-fit shrink-0 rounded-md border border-warning/60 bg-background px-3 py-1 font-medium hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
      >
        Buy credits
      </Link>
    </div>
  );
}
