"use client";

import * as React from "react";
import type { Job } from "@/lib/api/contract/jobs.schema";
import { formatDuration } from "@/lib/format";
import { useHydrated } from "@/lib/use-hydrated";
import { jobDurationMs } from "./job-format";

/**
 * A job's run time; while it runs, it counts up by itself (from the first render after hydration: the
 * server's clock, a moment earlier, would not match the browser's).
 */
export function LiveDuration({ job }: { job: Pick<Job, "started_at" | "finished_at"> }) {
  const running = Boolean(job.started_at && !job.finished_at);
  const hydrated = useHydrated();
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    if (!running) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [running]);
  const ms = running && !hydrated ? null : jobDurationMs(job, now);
  return ms === null ? <span className="text-muted-foreground">—</span> : <>{formatDuration(ms)}</>;
}
