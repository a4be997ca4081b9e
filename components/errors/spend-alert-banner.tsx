"use client";

import { useQuery } from "@tanstack/react-query";
import * as React from "react";
import type { SpendAlert } from "@/lib/api/contract/billing.schema";
import { billingQueries } from "@/lib/api/queries/billing";
import { lazyNamed } from "@/lib/lazy";

// Out of every page's first-load JavaScript: only a standing alert loads it.
const SpendAlertLines = lazyNamed(() => import("./spend-alert-lines"), "SpendAlertLines");

/** From this percent of a monthly credit limit a usage alert shows on every console page. */
const SHELL_THRESHOLD = 80;

/**
 * Usage alerts on every console page: each monthly credit limit (the account's, a key's) whose spend
 * this month reached 80 or 100% of it and still stands there — with a link to where it is set. The
 * 50% alerts show on Billing and the key's page only.
 */
export function SpendAlertBanner() {
  const alerts = useQuery(billingQueries.spendAlerts());
  const standing = topPerLimit(alerts.data?.data ?? []).filter((a) => a.threshold >= SHELL_THRESHOLD);
  if (!standing.length) return null;
  return (
    <React.Suspense fallback={null}>
      <SpendAlertLines standing={standing} />
    </React.Suspense>
  );
}

/** The highest standing alert of each limit. */
function topPerLimit(alerts: SpendAlert[]): SpendAlert[] {
  const top = new Map<string, SpendAlert>();
  for (const a of alerts) {
    if (!a.active) continue;
    const limit = a.key_id ?? "account";
    const seen = top.get(limit);
    if (!seen || a.threshold > seen.threshold) top.set(limit, a);
  }
  return [...top.values()];
}
