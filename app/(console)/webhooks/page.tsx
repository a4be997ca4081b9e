import type { Metadata } from "next";
import { WebhooksView } from "@/components/webhooks/webhooks-view";
import { webhookQueries } from "@/lib/api/queries/webhooks";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "Webhooks" };

export default function WebhooksPage() {
  return (
    <Prefetch queries={[webhookQueries.endpoints(), webhookQueries.deliveries({})]}>
      <WebhooksView />
    </Prefetch>
  );
}
