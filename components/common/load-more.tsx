"use client";

import { Loader2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/** The part of an infinite query a "Load more" footer needs (`useInfiniteQuery`'s result fits). */
export type NextPageQuery = {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
};

/**
 * The footer under a keyset-paged list: a "Load more" button while there is a next page, busy (and
 * disabled, so a double click fetches once) while it loads. Nothing when the list is complete.
 */
export function LoadMore({
  query,
  label = "Load more",
  className,
}: {
  query: NextPageQuery;
  label?: string;
  className?: string;
}) {
  if (!query.hasNextPage) return null;
  return (
    <Button
      type="button"
      variant="outline"
      className={cn("self-center", className)}
      disabled={query.isFetchingNextPage}
      onClick={() => void query.fetchNextPage()}
    >
      {query.isFetchingNextPage ? <Loader2 className="animate-spin" aria-hidden /> : null}
      {label}
    </Button>
  );
}
