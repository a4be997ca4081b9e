import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { createLoader, type SearchParams } from "nuqs/server";
import { RequestLog } from "@/components/requests/request-log";
import { requestSearchParams, toRequestFilters } from "@/components/requests/request-search";
import { requestQueries } from "@/lib/api/queries/requests";
import { currentSession } from "@/lib/server/auth/current";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "Requests" };

const loadRequestSearch = createLoader(requestSearchParams);

export default async function RequestsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  // A customer's own log: staff accounts have none (they use Support).
  if (!(await currentSession())?.customer) notFound();
  const search = await loadRequestSearch(searchParams);
  const queries = [requestQueries.list(toRequestFilters(search)), requestQueries.summary(search.range)];
  return (
    <Prefetch queries={queries}>
      <RequestLog />
    </Prefetch>
  );
}
