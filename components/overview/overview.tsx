"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorState } from "@/components/errors/error-state";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Product } from "@/lib/api/contract/products.schema";
import { billingQueries } from "@/lib/api/queries/billing";
import { productQueries } from "@/lib/api/queries/products";
import { formatCredits } from "@/lib/format";
import { LocalTime } from "@/components/common/local-time";

const NEEDS_LABEL: Record<NonNullable<Product["needs"]> | "none", string> = {
  none: "Prompt only",
  source_image_url: "Prompt + source image",
  start_image_url: "Prompt + start image",
};

export function Overview({ hasCustomer }: { hasCustomer: boolean }) {
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
        <p className="text-sm text-muted-foreground">Your balance and the models you can call.</p>
      </div>
      {hasCustomer ? <BalanceCard /> : null}
      <ProductsCard />
    </div>
  );
}

function BalanceCard() {
  const balance = useQuery(billingQueries.balance());
  const settings = useQuery(billingQueries.settings());
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Balance</h2>
        </CardTitle>
        <CardDescription>Credits pay for every job; failed jobs are refunded automatically.</CardDescription>
      </CardHeader>
      <CardContent>
        {balance.isPending ? (
          <Skeleton className="h-10 w-48" />
        ) : balance.isLoadingError ? (
          <ErrorState error={balance.error} onRetry={() => void balance.refetch()} />
        ) : (
          <div className="flex flex-col gap-1">
            <p className="text-4xl font-semibold tabular-nums" data-testid="balance">
              {formatCredits(balance.data.credits)}
            </p>
            <p className="text-xs text-muted-foreground">
              Updated <LocalTime iso={balance.data.updated_at} />
              {settings.data
                ? ` · low-balance warning under ${formatCredits(settings.data.low_balance_credits)}`
                : ""}
            </p>
          </div>
        )}
      </CardContent>
    </Card>
  );
}

function ProductsCard() {
  const products = useQuery(productQueries.list());
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Models</h2>
        </CardTitle>
        <CardDescription>Call them with POST /api/v1/jobs and the product id.</CardDescription>
      </CardHeader>
      <CardContent>
        {products.isPending ? (
          <div
            className="flex flex-col gap-2"
            role="progressbar"
            aria-busy="true"
            aria-label="Loading models"
          >
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-8 w-full" />
            ))}
          </div>
        ) : products.isLoadingError ? (
          <ErrorState error={products.error} onRetry={() => void products.refetch()} />
        ) : products.data.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">No models are available yet.</p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Model</TableHead>
                <TableHead>Product id</TableHead>
                <TableHead>Kind</TableHead>
                <TableHead>Input</TableHead>
                <TableHead className="text-right">Price</TableHead>
                <TableHead>Status</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {products.data.data.map((p) => (
                <TableRow key={p.id}>
                  <TableCell className="font-medium">{p.name}</TableCell>
                  <TableCell>
                    <code className="font-mono text-xs">{p.id}</code>
                  </TableCell>
                  <TableCell className="capitalize">{p.kind}</TableCell>
                  <TableCell>{NEEDS_LABEL[p.needs ?? "none"]}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatCredits(p.price_credits)}</TableCell>
                  <TableCell>
                    {p.status === "active" ? (
                      <Badge variant="success">Active</Badge>
                    ) : (
                      <Badge variant="warning">Paused</Badge>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
