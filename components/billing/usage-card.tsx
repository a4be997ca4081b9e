"use client";

import { useQuery } from "@tanstack/react-query";
import * as React from "react";
import { ErrorState } from "@/components/errors/error-state";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { Usage } from "@/lib/api/contract/billing.schema";
import { billingQueries, USAGE_DAYS } from "@/lib/api/queries/billing";
import { useNearViewport } from "@/components/common/use-near-viewport";
import { formatCredits } from "@/lib/format";
import { lazyNamed } from "@/lib/lazy";

const UsageBars = lazyNamed(() => import("./usage-bars"), "UsageBars");

/** Credits spent per day for the last 30 days, stacked by product, with totals per model and per key. */
export function UsageCard() {
  const usage = useQuery(billingQueries.usage(USAGE_DAYS));
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Usage</h2>
        </CardTitle>
        <CardDescription>
          Credits spent per day over the last {USAGE_DAYS} days (UTC), by model. Refunded jobs count zero.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {usage.isPending ? (
          <Skeleton className="h-64 w-full" role="progressbar" aria-busy="true" aria-label="Loading usage" />
        ) : usage.isLoadingError ? (
          <ErrorState error={usage.error} onRetry={() => void usage.refetch()} />
        ) : usage.data.total_credits === 0 ? (
          <div className="flex h-48 flex-col items-center justify-center gap-1 rounded-lg border border-dashed text-center">
            <p className="font-medium">No usage in the last {USAGE_DAYS} days</p>
            <p className="max-w-sm text-sm text-muted-foreground">
              Credits spent on jobs show up here per day, stacked by model.
            </p>
          </div>
        ) : (
          <UsageChart usage={usage.data} />
        )}
      </CardContent>
    </Card>
  );
}

function UsageChart({ usage }: { usage: Usage }) {
  const products = usage.products;
  const data = usage.daily.map((d) => ({
    date: d.date,
    ...Object.fromEntries(d.by_product.map((p) => [p.product, p.credits])),
  }));
  const summary = `Credits spent per day from ${usage.from} to ${usage.to}: ${formatCredits(usage.total_credits)} in all, ${products
    .map((p) => `${p.name} ${formatCredits(p.credits)}`)
    .join(", ")}.`;
  // Below the fold at first paint (on a 1350×940 desktop, and on mobile): drawn when scrolled near, not
  // while the page loads. recharts' chunk (~120 kB gzipped) and first render were Billing's longest
  // main-thread tasks (~100 + ~230 ms of CPU).
  const [figure, near] = useNearViewport<HTMLElement>();
  return (
    <div className="flex flex-col gap-6">
      <figure ref={figure} className="h-64 w-full text-xs" role="img" aria-label={summary}>
        {/* recharts loads only when there is usage to draw, and then only near the viewport. */}
        {near ? (
          <React.Suspense fallback={<Skeleton className="h-full w-full" />}>
            <UsageBars data={data} products={products} />
          </React.Suspense>
        ) : (
          <Skeleton className="h-full w-full" />
        )}
      </figure>
      <div className="grid gap-6 sm:grid-cols-2">
        <Totals
          title="By model"
          rows={products.map((p) => ({ id: p.id, label: p.name, credits: p.credits }))}
          total={usage.total_credits}
        />
        <Totals
          title="By key"
          rows={usage.keys.map((k) => ({
            id: k.id ?? "console",
            label: k.id ? (k.name ?? k.id) : "Console (no key)",
            credits: k.credits,
          }))}
          total={usage.total_credits}
        />
      </div>
    </div>
  );
}

function Totals({
  title,
  rows,
  total,
}: {
  title: string;
  rows: { id: string; label: string; credits: number }[];
  total: number;
}) {
  return (
    <section aria-label={`Usage ${title.toLowerCase()}`} className="flex flex-col gap-2">
      <h3 className="text-sm font-medium">{title}</h3>
      <ul className="flex flex-col gap-1.5 text-sm">
        {rows.map((r) => (
          <li key={r.id} className="flex flex-col gap-1">
            <span className="flex justify-between gap-2">
              <span className="truncate">{r.label}</span>
              <span className="tabular-nums text-muted-foreground">{formatCredits(r.credits)}</span>
            </span>
            <span className="h-1.5 overflow-hidden rounded-full bg-muted" aria-hidden>
              <span
                className="block h-full rounded-full bg-primary/70"
                style={{ width: `${total ? Math.max(2, (r.credits / total) * 100) : 0}%` }}
              />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
