"use client";

import { useQuery } from "@tanstack/react-query";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { supportQueries } from "@/lib/api/queries/support";
import { formatDate } from "@/lib/format";
import { PauseDialog } from "./pause-dialog";

/** The catalog with pause state; pausing a product makes new jobs for it answer product_paused. */
export function ProductsPanel() {
  const products = useQuery(supportQueries.products());
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Products</h2>
        </CardTitle>
        <CardDescription>
          Pause a model for everyone while it misbehaves; customers see it as paused.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {products.isPending ? (
          <div
            className="flex flex-col gap-2"
            role="progressbar"
            aria-busy="true"
            aria-label="Loading products"
          >
            <Skeleton className="h-8 w-full" />
            <Skeleton className="h-8 w-full" />
          </div>
        ) : products.isLoadingError ? (
          <ErrorState error={products.error} onRetry={() => void products.refetch()} />
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Product</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Paused</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {products.data.data.map((p) => (
                <TableRow key={p.id}>
                  <TableCell>
                    <span className="flex flex-col">
                      <span className="font-medium">{p.name}</span>
                      <code className="font-mono text-xs text-muted-foreground">{p.id}</code>
                    </span>
                  </TableCell>
                  <TableCell>
                    <Badge variant={p.status === "active" ? "success" : "warning"} className="capitalize">
                      {p.status}
                    </Badge>
                  </TableCell>
                  <TableCell className="text-xs">
                    {p.status === "paused" ? (
                      <span className="flex flex-col gap-0.5">
                        <span>
                          {p.paused_by ?? "—"}
                          {p.paused_at ? (
                            <>
                              , <LocalTime iso={p.paused_at} format={formatDate} />
                            </>
                          ) : null}
                        </span>
                        {p.paused_reason ? (
                          <span className="text-muted-foreground">{p.paused_reason}</span>
                        ) : null}
                      </span>
                    ) : (
                      <span className="text-muted-foreground">—</span>
                    )}
                  </TableCell>
                  <TableCell className="text-right">
                    <PauseDialog
                      target="products"
                      id={p.id}
                      name={p.name}
                      paused={p.status === "paused"}
                      size="sm"
                    />
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
