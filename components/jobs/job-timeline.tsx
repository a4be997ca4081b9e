import { LocalTime } from "@/components/common/local-time";
import type { Job } from "@/lib/api/contract/jobs.schema";
import { cn } from "@/lib/utils";
import { formatDuration, formatTimestamp } from "@/lib/format";
import { jobStatusLabel } from "./job-status-badge";
import { LiveDuration } from "./live-duration";

type Step = { label: string; at: string | null; note?: React.ReactNode; tone?: "done" | "bad" | "pending" };

/** created → started → finished, with the time between each and the attempts it took. */
export function JobTimeline({ job }: { job: Job }) {
  const waited =
    job.started_at !== null ? formatDuration(Date.parse(job.started_at) - Date.parse(job.created_at)) : null;
  const finishedLabel =
    job.status === "succeeded" || job.status === "failed" || job.status === "canceled"
      ? jobStatusLabel(job.status)
      : "Finished";
  const steps: Step[] = [
    { label: "Created", at: job.created_at, note: "Charged when created", tone: "done" },
    {
      label: "Started",
      at: job.started_at,
      note: waited
        ? `after ${waited} in the queue`
        : job.status === "canceled"
          ? "never started"
          : "waiting in the queue",
      tone: job.started_at ? "done" : "pending",
    },
    {
      label: finishedLabel,
      at: job.finished_at,
      note: job.started_at ? (
        <>
          {job.finished_at ? "ran " : "running for "}
          <LiveDuration job={job} />
        </>
      ) : undefined,
      tone: job.finished_at ? (job.status === "succeeded" ? "done" : "bad") : "pending",
    },
  ];
  return (
    <div className="flex flex-col gap-3">
      <ol className="flex flex-col gap-3">
        {steps.map((step) => (
          <li key={step.label} className="flex items-start gap-3">
            <span
              aria-hidden
              className={cn(
                "mt-1.5 size-2.5 shrink-0 rounded-full border-2",
                step.tone === "done" && "border-success bg-success",
                step.tone === "bad" && "border-destructive bg-destructive",
                step.tone === "pending" && "border-muted-foreground",
              )}
            />
            <div className="flex flex-col">
              <span className="font-medium">{step.label}</span>
              <span className="text-sm text-muted-foreground">
                {step.at ? <LocalTime iso={step.at} format={formatTimestamp} /> : "Not yet"}
                {step.note ? <> · {step.note}</> : null}
              </span>
            </div>
          </li>
        ))}
      </ol>
      <p className="text-sm text-muted-foreground">
        {job.attempts} {job.attempts === 1 ? "attempt" : "attempts"}
      </p>
    </div>
  );
}
