import type { Job, JobInputs } from "@/lib/api/contract/jobs.schema";
import type { jobs } from "../db/schema";
import { jobOutputPath } from "../uploads/urls";

export type JobRow = typeof jobs.$inferSelect;

/** What the worker stores in `jobs.output`; the DTO shows it as a URL. */
export type StoredOutput = {
  storage_key: string;
  content_type: string;
  width: number;
  height: number;
  bytes: number;
};

export type StoredError = { code: "generation_failed"; message: string };

export function toJobDto(row: JobRow, origin: string): Job {
  const output = row.output as StoredOutput | null;
  return {
    id: row.id,
    product: row.productId,
    status: row.status,
    prompt: row.prompt,
    inputs: row.inputs as JobInputs,
    cost_credits: row.costCredits,
    refunded: row.refunded,
    output: output
      ? {
          url: `${origin}${jobOutputPath(row.id)}`,
          content_type: output.content_type,
          width: output.width,
          height: output.height,
        }
      : null,
    error: (row.error as StoredError | null) ?? null,
    key_id: row.keyId,
    request_id: row.requestId,
    attempts: row.attempts,
    created_at: row.createdAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}
