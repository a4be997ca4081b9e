"use client";

import { NotFoundState } from "@/components/common/not-found-state";
import { useQuery } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ApiError } from "@/lib/api/errors";
import { requestQueries } from "@/lib/api/queries/requests";
import { isCustomerPaused, PausedNote } from "./paused";
import { RequestStoryView } from "./request-story";

/** The page's own empty state for an id that names nothing (or someone else's request). */
export function RequestNotFound({ requestId }: { requestId: string }) {
  return (
    <NotFoundState title="No request with this ID" id={requestId} heading="p">
      is not one of this account&apos;s requests. Check the ID, or whether it came from another account.
      Requests are kept for 30 days.
    </NotFoundState>
  );
}

function StorySkeleton() {
  return (
    <div className="flex flex-col gap-4" role="progressbar" aria-busy="true" aria-label="Loading the request">
      <Skeleton className="h-40 w-full" />
      <Skeleton className="h-28 w-full" />
      <Skeleton className="h-28 w-full" />
    </div>
  );
}

export function BackToRequests() {
  return (
    <Button asChild variant="ghost" size="sm" className="w-fit">
      <Link href="/requests">
        <ArrowLeft aria-hidden />
        All requests
      </Link>
    </Button>
  );
}

/** A customer's request by id: the story, or the not-found state with the id asked for. */
export function RequestDetail({ requestId }: { requestId: string }) {
  const story = useQuery(requestQueries.detail(requestId));
  return (
    <div className="flex flex-col gap-4">
      <BackToRequests />
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Request</h1>
        <p className="text-sm text-muted-foreground">
          What was asked, what was answered and why, and what it caused.
        </p>
      </div>
      {story.isPending ? (
        <StorySkeleton />
      ) : story.isLoadingError ? (
        ApiError.is(story.error) && story.error.code === "not_found" ? (
          <RequestNotFound requestId={requestId} />
        ) : isCustomerPaused(story.error) ? (
          <PausedNote />
        ) : (
          <ErrorState error={story.error} onRetry={() => void story.refetch()} />
        )
      ) : (
        <RequestStoryView story={story.data} audience="customer" />
      )}
    </div>
  );
}
