"use client";

import { History } from "lucide-react";
import Link from "next/link";
import { LookupBox, LookupResults, useLookupQuery } from "@/components/support/lookup";
import { ProductsPanel } from "@/components/support/products-panel";
import { Button } from "@/components/ui/button";
import { SupportRequestDetail } from "./support-request-detail";

/** Look up anything by id; a request shows its story (requests feature) beside its customer (support). */
export function SupportConsole() {
  const [q] = useLookupQuery();
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Support</h1>
          <p className="text-sm text-muted-foreground">
            Find any request, job, key or customer, see the whole story, and act with an audit trail.
          </p>
        </div>
        <Button asChild variant="outline">
          <Link href="/support/audit">
            <History aria-hidden />
            Audit log
          </Link>
        </Button>
      </div>
      <LookupBox />
      <LookupResults renderRequest={(id) => <SupportRequestDetail requestId={id} embedded />} />
      {q ? null : <ProductsPanel />}
    </div>
  );
}
