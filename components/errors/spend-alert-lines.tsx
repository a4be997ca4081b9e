"use client";

import { Gauge } from "lucide-react";
import Link from "next/link";
import type { SpendAlert } from "@/lib/api/contract/billing.schema";
import { formatCredits } from "@/lib/format";

/** The shell's usage-alert lines (loaded only when an alert stands; see spend-alert-banner.tsx). */
export function SpendAlertLines({ standing }: { standing: SpendAlert[] }) {
  return (
    <div
      role="status"
      aria-label="Spend limit alerts"
      className="flex flex-col gap-1 border-b border-warning/50 bg-warning/10 px-4 py-2.5 text-sm"
    >
      {standing.map((a) => (
        <p key={a.id} className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <Gauge className="size-4 shrink-0 text-warning" aria-hidden />
          <span>
            <strong>{whose(a)}</strong>{" "}
            {a.threshold >= 100
              ? "reached its monthly spend limit"
              : `has used ${a.threshold}% of its monthly spend limit`}{" "}
            ({formatCredits(a.month_spent_credits)} of {formatCredits(a.monthly_credit_limit)}).
            {a.threshold >= 100 ? " New jobs are refused until it is raised or the month ends." : ""}
          </span>
          <Link
            href={a.key_id ? `/keys/${encodeURIComponent(a.key_id)}#spend-limit` : "/billing#spend-limit"}
            className="font-medium underline underline-offset-4"
          >
            {a.key_id ? "View key limit" : "View limit in Billing"}
          </Link>
        </p>
      ))}
    </div>
  );
}

function whose(a: SpendAlert): string {
  if (!a.key_id) return "Your account";
  return a.key_name ? `Key “${a.key_name}”` : "A key";
}
