import { Loader2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { Job, JobStatus } from "@/lib/api/contract/jobs.schema";

const LABEL: Record<JobStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  canceled: "Canceled",
};

const VARIANT = {
  queued: "secondary",
  running: "outline",
  succeeded: "success",
  failed: "destructive",
  canceled: "outline",
} as const satisfies Record<JobStatus, "secondary" | "outline" | "success" | "destructive">;

export function jobStatusLabel(status: JobStatus): string {
  return LABEL[status];
}

/** The job's status, and a "Refunded" badge when its credits came back. */
export function JobStatusBadge({ job }: { job: Pick<Job, "status" | "refunded"> }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <Badge variant={VARIANT[job.status]} data-testid="job-status">
        {job.status === "running" ? <Loader2 className="animate-spin" aria-hidden /> : null}
        {LABEL[job.status]}
      </Badge>
      {job.refunded ? <Badge variant="outline">Refunded</Badge> : null}
    </span>
  );
}
