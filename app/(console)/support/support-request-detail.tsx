"use client";

import { NotFoundState } from "@/components/common/not-found-state";
import { useQuery } from "@tanstack/react-query";
import { ErrorState } from "@/components/errors/error-state";
import { RequestStoryView } from "@/components/requests/request-story";
import { CustomerPanel, PanelSkeleton } from "@/components/support/customer-panel";
import { JobWebhookDeliveries } from "@/components/support/webhook-deliveries";
import { ApiError } from "@/lib/api/errors";
import { supportQueries } from "@/lib/api/queries/support";

/**
 * Any customer's request for staff: its story (requests feature), its job's webhook deliveries and its
 * customer (support feature).
 */
export function SupportRequestDetail({
  requestId,
  embedded = false,
}: {
  requestId: string;
  embedded?: boolean;
}) {
  const result = useQuery(supportQueries.request(requestId));
  const Heading = embedded ? "h2" : "h1";
  return (
    <div className="flex flex-col gap-6">
      <Heading className={embedded ? "text-xl font-semibold" : "text-2xl font-semibold tracking-tight"}>
        Request story
      </Heading>
      {result.isPending ? (
        <PanelSkeleton label="Loading the request" />
      ) : result.isLoadingError ? (
        ApiError.is(result.error) && result.error.code === "not_found" ? (
          <NotFoundState title="No request with this ID" id={requestId} heading="p">
            is not in the request log (kept for 30 days).
          </NotFoundState>
        ) : (
          <ErrorState error={result.error} onRetry={() => void result.refetch()} />
        )
      ) : (
        <>
          <RequestStoryView
            story={result.data.story}
            audience="staff"
            afterJob={
              result.data.job_webhook_deliveries ? (
                <JobWebhookDeliveries deliveries={result.data.job_webhook_deliveries} />
              ) : null
            }
          />
          {result.data.customer ? (
            <CustomerPanel customer={result.data.customer} level="section" />
          ) : (
            <p className="text-sm text-muted-foreground" role="status">
              No customer: the request was not authenticated, or came from a staff account.
            </p>
          )}
        </>
      )}
    </div>
  );
}
