import type { Job } from "@/lib/api/contract/jobs.schema";
import { dateTimeFormat } from "@/lib/format/date-time";

/** "Mar 4, 14:05:09" in the viewer's time zone, or in `timeZone` (the ISO time is the cell's title). */
export const formatWhen = dateTimeFormat({
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** 850 ms, 4.2 s, 3 min 5 s, 2 h 4 min. */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m - h * 60} min`;
}

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
