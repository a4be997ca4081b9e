import { Badge } from "@/components/ui/badge";
import type { WebhookDeliveryStatus } from "@/lib/api/contract/constants";

const LABEL: Record<
  WebhookDeliveryStatus,
  { text: string; variant: "success" | "destructive" | "secondary" | "outline" }
> = {
  succeeded: { text: "Delivered", variant: "success" },
  failed: { text: "Failed", variant: "destructive" },
  pending: { text: "Pending", variant: "secondary" },
  delivering: { text: "Sending", variant: "outline" },
};

export function DeliveryStatusBadge({ status }: { status: WebhookDeliveryStatus }) {
  const { text, variant } = LABEL[status];
  return <Badge variant={variant}>{text}</Badge>;
}
