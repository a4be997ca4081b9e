import type { Metadata } from "next";
import { Suspense } from "react";
import { ViewSkeleton } from "@/components/common/view-skeleton";
import { WebhooksView } from "@/components/webhooks/webhooks-view";
import { webhookQueries } from "@/lib/api/queries/webhooks";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "Webhooks" };

export default function WebhooksPage() {
  return (
    <Suspense fallback={<ViewSkeleton label="Loading webhooks" />}>
      <Prefetch queries={[webhookQueries.endpoints(), webhookQueries.deliveries({})]}>
        <WebhooksView />
      </Prefetch>
    </Suspense>
  );
}
