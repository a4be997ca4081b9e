"use client";

import { useQuery } from "@tanstack/react-query";
import * as React from "react";
import { CodeSnippets } from "@/components/common/code-snippets";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { newIdempotencyKey } from "@/lib/api/client";
import type { Key } from "@/lib/api/contract/keys.schema";
import { productQueries } from "@/lib/api/queries/products";
import { useHydrated } from "@/lib/use-hydrated";

/**
 * "Use this key": creating a job with it, in curl, the SDK and Python: the key named by its prefix,
 * the job's product the first one that needs no image, and an Idempotency-Key drawn for this page.
 */
export function KeySnippets({ keyData }: { keyData: Key }) {
  const products = useQuery(productQueries.list());
  // Drawn in the browser only: one drawn in the server render would differ from the client's.
  const [drawn] = React.useState(() => (typeof window === "undefined" ? "" : newIdempotencyKey()));
  const idempotencyKey = useHydrated() ? drawn : "";
  const product =
    products.data?.data.find((p) => p.status === "active" && p.needs === null) ?? products.data?.data[0];

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Use this key</h2>
        </CardTitle>
        <CardDescription>
          Create a job from a program. Put this key&apos;s secret in <code>GENMEDIA_API_KEY</code>; keep the
          Idempotency-Key when you retry the same job.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {products.isPending ? (
          <Skeleton className="h-48 w-full" aria-label="Loading code snippets" />
        ) : (
          <CodeSnippets
            request={{
              keyPrefix: keyData.prefix,
              method: "POST",
              path: "/jobs",
              body: { product: product?.id ?? "<product id>", prompt: "A lighthouse at dusk, watercolor" },
              idempotencyKey,
            }}
          />
        )}
      </CardContent>
    </Card>
  );
}
