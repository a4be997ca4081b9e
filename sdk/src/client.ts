import createClient, { type Client } from "openapi-fetch";
import { errorFromResponse } from "./errors.js";
import type { components, paths } from "./generated/openapi.js";
import { DEFAULT_RETRY, type RetryEvent, type RetryOptions, retryingFetch } from "./retry.js";

type Schemas = components["schemas"];
export type Job = Schemas["Job"];
export type JobStatus = Job["status"];
export type CreateJob = Schemas["CreateJob"];
export type JobList = Schemas["JobList"];
export type JobListQuery = NonNullable<paths["/api/v1/jobs"]["get"]["parameters"]["query"]>;
export type Upload = Schemas["Upload"];
export type Product = Schemas["Product"];
export type Balance = Schemas["Balance"];

export type GenmediaOptions = {
  /** A secret key, `sk_live_…` (sent as `Authorization: Bearer …`). */
  apiKey: string;
  /** Where the API is served, e.g. `https://genmedia.example.com` (the paths start with /api/v1). */
  baseUrl: string;
  retry?: Partial<RetryOptions>;
  /** Called before each retry's wait (logging, metrics). */
  onRetry?: (event: RetryEvent) => void;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
};

export type CallOptions = {
  /** Your own key for this call; by default each POST gets a fresh one, reused across its retries. */
  idempotencyKey?: string;
  signal?: AbortSignal;
};

export type WaitOptions = {
  signal?: AbortSignal;
  /** Give up (rejecting with a TimeoutError) after this long. Default: wait as long as it takes. */
  timeoutMs?: number;
  /** Between two polls. Default 1000. */
  intervalMs?: number;
};

export const FINAL_STATUSES: readonly JobStatus[] = ["succeeded", "failed", "canceled"];

/**
 * The data of a 2xx answer of `genmedia.api`, or throws the typed error of any other:
 * `await unwrap(genmedia.api.GET("/api/v1/ledger"))`.
 */
export async function unwrap<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await pending;
  if (response.ok) return data as T;
  throw errorFromResponse(response, error);
}

const callInit = (options: CallOptions = {}) => ({
  signal: options.signal,
  headers: options.idempotencyKey ? { "idempotency-key": options.idempotencyKey } : undefined,
});

/**
 * The Genmedia API client. The common calls are methods that return the data or throw a
 * `GenmediaError`; `api` is the generated client for every path of the OpenAPI document
 * (`genmedia.api.GET("/api/v1/ledger")`, same auth and retries, returns `{data, error, response}`).
 */
export class Genmedia {
  readonly api: Client<paths>;

  constructor(options: GenmediaOptions) {
    const retry = { ...DEFAULT_RETRY, ...options.retry };
    this.api = createClient<paths>({
      baseUrl: options.baseUrl,
      headers: { authorization: `Bearer ${options.apiKey}` },
      fetch: retryingFetch(options.fetch ?? globalThis.fetch, retry, options.onRetry),
    });
  }

  readonly jobs = {
    create: (body: CreateJob, options?: CallOptions): Promise<Job> =>
      unwrap(this.api.POST("/api/v1/jobs", { body, ...callInit(options) })),
    get: (id: string, options?: CallOptions): Promise<Job> =>
      unwrap(this.api.GET("/api/v1/jobs/{id}", { params: { path: { id } }, ...callInit(options) })),
    list: (query: JobListQuery = {}, options?: CallOptions): Promise<JobList> =>
      unwrap(this.api.GET("/api/v1/jobs", { params: { query }, ...callInit(options) })),
    /** Only from `failed`; charges again. */
    retry: (id: string, options?: CallOptions): Promise<Job> =>
      unwrap(this.api.POST("/api/v1/jobs/{id}/retry", { params: { path: { id } }, ...callInit(options) })),
    /** Only from `queued`; refunds. */
    cancel: (id: string, options?: CallOptions): Promise<Job> =>
      unwrap(this.api.POST("/api/v1/jobs/{id}/cancel", { params: { path: { id } }, ...callInit(options) })),
  };

  readonly uploads = {
    /**
     * Uploads a PNG, JPEG or WebP image (multipart, field `file`). Its `url` can be a job's
     * `source_image_url` / `start_image_url`. In Node: `await fs.openAsBlob(path)` gives a Blob.
     */
    create: (file: Blob, filename = "image", options?: CallOptions): Promise<Upload> => {
      const form = new FormData();
      form.set("file", file, filename);
      return unwrap(
        this.api.POST("/api/v1/uploads", {
          body: form as unknown as { file: string },
          bodySerializer: (body) => body as unknown as FormData,
          ...callInit(options),
        }),
      );
    },
  };

  readonly products = {
    list: (options?: CallOptions): Promise<Product[]> =>
      unwrap(this.api.GET("/api/v1/products", callInit(options))).then((list) => list.data),
  };

  readonly balance = {
    get: (options?: CallOptions): Promise<Balance> =>
      unwrap(this.api.GET("/api/v1/balance", callInit(options))),
  };

  /** GET /health (no auth needed): throws `service_unavailable` naming what is down. */
  health(options?: CallOptions) {
    return unwrap(this.api.GET("/api/v1/health", callInit(options)));
  }

  /**
   * Resolves with the job once it is final (`succeeded`, `failed` with `error.code`
   * `generation_failed`, or `canceled`): it does not throw for a failed job. Rejects with the
   * signal's reason when `signal` aborts, or a TimeoutError after `timeoutMs`.
   */
  async waitForJob(id: string, options: WaitOptions = {}): Promise<Job> {
    const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined];
    const signal = AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
    for await (const job of this.jobUpdates(id, options.intervalMs ?? 1000, signal)) {
      if (FINAL_STATUSES.includes(job.status)) return job;
    }
    throw signal.reason;
  }

  /**
   * The job's successive states. By polling for now; the seam for an events stream (SSE), which would
   * yield the same snapshots as they happen.
   */
  protected async *jobUpdates(id: string, intervalMs: number, signal: AbortSignal): AsyncGenerator<Job> {
    while (!signal.aborted) {
      yield await this.jobs.get(id, { signal });
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, intervalMs);
        signal.addEventListener("abort", done, { once: true });
      });
    }
  }
}
