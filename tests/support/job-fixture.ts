import type { Job } from "@/lib/api/contract/jobs.schema";

/** A job as the API returns it, for unit tests: `job_00n`, succeeded, its fields overridable. */
export function jobFixture(n: number, over: Partial<Job> = {}): Job {
  return {
    id: `job_${String(n).padStart(3, "0")}`,
    product: "text-to-image",
    status: "succeeded",
    prompt: `prompt ${n}`,
    inputs: {},
    cost_credits: 10,
    refunded: false,
    output: null,
    error: null,
    key_id: null,
    request_id: `req_${n}`,
    attempts: 1,
    created_at: "2026-03-01T10:00:00.000Z",
    started_at: "2026-03-01T10:00:01.000Z",
    finished_at: "2026-03-01T10:00:03.000Z",
    ...over,
  };
}
