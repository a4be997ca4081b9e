import type { Metadata } from "next";
import { createLoader, type SearchParams } from "nuqs/server";
import { jobSearchParams, toJobFilters } from "@/components/jobs/job-search";
import { JobsHistory } from "@/components/jobs/jobs-history";
import { jobQueries } from "@/lib/api/queries/jobs";
import { keyQueries } from "@/lib/api/queries/keys";
import { productQueries } from "@/lib/api/queries/products";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "Jobs" };

const loadJobSearch = createLoader(jobSearchParams);

export default async function JobsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const filters = toJobFilters(await loadJobSearch(searchParams));
  return (
    <Prefetch queries={[jobQueries.list(filters), productQueries.list(), keyQueries.list()]}>
      <JobsHistory />
    </Prefetch>
  );
}
