import type { Job } from "@/lib/api/contract/jobs.schema";

/** From start to finish; a running job counts up to `now`. Null before it starts. */
export function jobDurationMs(job: Pick<Job, "started_at" | "finished_at">, now: number): number | null {
  if (!job.started_at) return null;
  const end = job.finished_at ? Date.parse(job.finished_at) : now;
  return end - Date.parse(job.started_at);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export function isImageOutput(job: Pick<Job, "output">): boolean {
  return Boolean(job.output?.content_type.startsWith("image/"));
}
