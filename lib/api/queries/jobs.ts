import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { type JobStatus, UNFINISHED_STATUSES } from "../contract/constants";
import type { CreateJobBody, Job, JobList } from "../contract/jobs.schema";
import { API_BASE, apiFetch, lazySchema } from "../client";
import { LedgerListSchema } from "./billing";

const jobSchemas = () => import("../contract/jobs.schema");
const JobListSchema = lazySchema(jobSchemas, (m) => m.JobListSchema);
const JobSchema = lazySchema(jobSchemas, (m) => m.JobSchema);
const UploadSchema = lazySchema(
  () => import("../contract/uploads.schema"),
  (m) => m.UploadSchema,
);

/** The filters of GET /jobs (and of its CSV export), as the API names them. */
export type JobFilters = {
  status?: JobStatus;
  product?: string;
  key_id?: string;
  created_after?: string;
  created_before?: string;
};

/** A key secret pasted into the console: calls made with it skip the session cookie. */
export type PastedKey = { secret: string };

export const JOBS_PAGE_SIZE = 25;
/** How often unfinished jobs are re-read while any is on screen (and the tab is visible). */
export const JOB_POLL_MS = 2_000;

const FILTER_KEYS = ["status", "product", "key_id", "created_after", "created_before"] as const;

/** The filters as query parameters, in a fixed order and without empty values. */
export function jobFilterParams(filters: JobFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}

/** The streamed CSV of the whole filtered set (GET /jobs/export.csv with the list's own filters). */
export function jobsExportHref(filters: JobFilters): string {
  const qs = jobFilterParams(filters).toString();
  return `${API_BASE}/jobs/export.csv${qs ? `?${qs}` : ""}`;
}

export function isUnfinished(job: Pick<Job, "status">): boolean {
  return (UNFINISHED_STATUSES as readonly string[]).includes(job.status);
}

/** The first 12 characters of a secret (`sk_live_` + 4): enough to tell keys apart, never to use one. */
export function keyPrefix(secret: string): string {
  return secret.slice(0, 12);
}

function listPath(filters: JobFilters, cursor: string | null, limit: number): string {
  const params = jobFilterParams(filters);
  params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  return `/jobs?${params.toString()}`;
}

export const jobQueries = {
  all: () => ["jobs"] as const,
  lists: () => [...jobQueries.all(), "list"] as const,
  /** Newest first, keyset pages ("Load more" follows `next_cursor`; never an offset). */
  list: (filters: JobFilters) =>
    infiniteQueryOptions({
      queryKey: [...jobQueries.lists(), filters] as const,
      queryFn: ({ pageParam, signal }) =>
        apiFetch(listPath(filters, pageParam, JOBS_PAGE_SIZE), JobListSchema, { signal }),
      initialPageParam: null as string | null,
      getNextPageParam: (last: JobList) => last.next_cursor,
    }),
  details: () => [...jobQueries.all(), "detail"] as const,
  /**
   * One job. With a pasted key it is read with that key (its origin and IP lists apply); the cache key
   * holds only the key's prefix, never the secret.
   */
  detail: (id: string, key?: PastedKey) =>
    queryOptions({
      queryKey: [...jobQueries.details(), id, key ? { key: keyPrefix(key.secret) } : "session"] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/jobs/${encodeURIComponent(id)}`, JobSchema, { signal, apiKey: key?.secret }),
    }),
  /** The money trail of one job: its ledger rows (charge, refund, re-charge on retry), oldest first. */
  ledger: (id: string) =>
    queryOptions({
      queryKey: [...jobQueries.details(), id, "ledger"] as const,
      queryFn: async ({ signal }) => {
        const page = await apiFetch(`/ledger?job_id=${encodeURIComponent(id)}&limit=100`, LedgerListSchema, {
          signal,
        });
        // The filter is the server's; this guard keeps other rows out should it ever be ignored.
        return page.data.filter((row) => row.job_id === id).reverse();
      },
    }),
};

/** Every failed job of a filter, all pages (for "Retry all failed in this filter"). */
export async function fetchAllFailed(filters: JobFilters, signal?: AbortSignal): Promise<Job[]> {
  const failed: Job[] = [];
  let cursor: string | null = null;
  do {
    const page: JobList = await apiFetch(
      listPath({ ...filters, status: "failed" }, cursor, 100),
      JobListSchema,
      {
        signal,
      },
    );
    failed.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return failed;
}

type WriteOptions = { idempotencyKey: string; apiKey?: string };

export function createJob(body: CreateJobBody, { idempotencyKey, apiKey }: WriteOptions) {
  return apiFetch("/jobs", JobSchema, { method: "POST", json: body, idempotencyKey, apiKey });
}

export function retryJob(id: string, { idempotencyKey, apiKey }: WriteOptions) {
  return apiFetch(`/jobs/${encodeURIComponent(id)}/retry`, JobSchema, {
    method: "POST",
    json: {},
    idempotencyKey,
    apiKey,
  });
}

export function cancelJob(id: string, { idempotencyKey, apiKey }: WriteOptions) {
  return apiFetch(`/jobs/${encodeURIComponent(id)}/cancel`, JobSchema, {
    method: "POST",
    json: {},
    idempotencyKey,
    apiKey,
  });
}

/** POST /uploads (multipart, field `file`). The server decodes and size-checks it: it is the authority. */
export function uploadImage(file: File, { idempotencyKey, apiKey }: WriteOptions) {
  const form = new FormData();
  form.set("file", file);
  return apiFetch("/uploads", UploadSchema, { method: "POST", body: form, idempotencyKey, apiKey });
}
