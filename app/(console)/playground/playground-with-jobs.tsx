"use client";

import { JobLiveCard } from "@/components/jobs/job-live-card";
import { Playground, type RenderJob } from "@/components/playground/playground";

// The playground shows its job with the jobs feature's live card; features meet here, in app/.
const renderJob: RenderJob = (job, pastedKey) => <JobLiveCard job={job} pastedKey={pastedKey} />;

export function PlaygroundWithJobs() {
  return <Playground renderJob={renderJob} />;
}
