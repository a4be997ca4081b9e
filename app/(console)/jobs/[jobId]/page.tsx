import type { Metadata } from "next";
import { JobDetail } from "@/components/jobs/job-detail";
import { jobQueries } from "@/lib/api/queries/jobs";
import { keyQueries } from "@/lib/api/queries/keys";
import { productQueries } from "@/lib/api/queries/products";
import { Prefetch } from "@/lib/server/console/prefetch";

export async function generateMetadata({
  params,
}: {
  params: Promise<{ jobId: string }>;
}): Promise<Metadata> {
  const { jobId } = await params;
  return { title: `Job ${jobId}` };
}

export default async function JobPage({ params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  // The job, its money trail and the names its page shows (product, key); a missing job is not_found.
  const queries = [
    jobQueries.detail(jobId),
    jobQueries.ledger(jobId),
    productQueries.list(),
    keyQueries.list(),
  ];
  return (
    <Prefetch queries={queries}>
      <JobDetail jobId={jobId} />
    </Prefetch>
  );
}
