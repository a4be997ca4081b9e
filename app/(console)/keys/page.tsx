import type { Metadata } from "next";
import { Suspense } from "react";
import { ViewSkeleton } from "@/components/common/view-skeleton";
import { KeysView } from "@/components/keys/keys-view";
import { keyQueries } from "@/lib/api/queries/keys";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "API keys" };

export default function KeysPage() {
  return (
    <Suspense fallback={<ViewSkeleton label="Loading keys" />}>
      <Prefetch queries={[keyQueries.pages()]}>
        <KeysView />
      </Prefetch>
    </Suspense>
  );
}
