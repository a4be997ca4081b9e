import { isErrorEnvelope, retryAfterMs } from "./errors.js";

/**
 * The catalog's retry policy: retry 429 and 503 (and `service_unavailable`'s 502 form, and a 409
 * `idempotency_conflict` whose first request is still in progress) and network errors, with
 * exponential backoff and full jitter, never sooner than `Retry-After`, at most `maxRetries` times and
 * never waiting longer than `maxDelayMs` at once. Every POST carries one `Idempotency-Key`, the same on
 * each of its retries, so a retried call can't run (or charge) twice.
 */
export type RetryOptions = {
  /** Retries after the first attempt (0 turns retrying off). Default 3. */
  maxRetries: number;
  /** The backoff's base: retry n waits a random time in [0, min(maxDelayMs, baseDelayMs·2ⁿ)]. Default 500. */
  baseDelayMs: number;
  /** The longest single wait. A `Retry-After` longer than this is not waited for: the error is returned. Default 20 s. */
  maxDelayMs: number;
};

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 20_000 };

/** What `onRetry` is told before each wait. */
export type RetryEvent = {
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  method: string;
  url: string;
  idempotencyKey: string | null;
  /** The answer being retried, or null after a network error. */
  status: number | null;
  error: unknown;
};

/** Full jitter: a uniformly random wait in [0, min(cap, base·2^retry)) (retry counts from 0). */
export function backoffDelay(retry: number, options: RetryOptions, random = Math.random): number {
  return Math.floor(random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry));
}

/** Whether an answer is one the catalog says to retry (reads a copy of the body). */
export async function isRetryable(response: Response): Promise<boolean> {
  if (response.status === 429 || response.status === 503) return true;
  if (response.status !== 502 && response.status !== 409) return false;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  if (!isErrorEnvelope(body)) return false;
  if (response.status === 502) return body.error.code === "service_unavailable";
  return body.error.code === "idempotency_conflict" && body.error.details?.reason === "in_progress";
}

function sleep(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function newIdempotencyKey(): string {
  return `sdk_${crypto.randomUUID()}`;
}

/**
 * A `fetch` that applies the policy above to each call it is given (one logical call: openapi-fetch
 * hands it one Request). The Request is cloned per attempt, so its body can be sent again.
 */
export function retryingFetch(
  baseFetch: typeof fetch,
  options: RetryOptions,
  onRetry?: (event: RetryEvent) => void,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method === "POST" && !request.headers.has("idempotency-key"))
      request.headers.set("idempotency-key", newIdempotencyKey());
    for (let retry = 0; ; retry++) {
      let response: Response | null = null;
      let error: unknown = null;
      try {
        response = await baseFetch(request.clone());
      } catch (caught) {
        if (request.signal.aborted) throw caught;
        error = caught;
      }
      const retryable = response ? await isRetryable(response) : true;
      if (!retryable || retry >= options.maxRetries) {
        if (response) return response;
        throw error;
      }
      const hinted = response ? retryAfterMs(response.headers.get("retry-after")) : null;
      // Honouring a Retry-After past the cap would mean waiting longer than the caller allowed.
      if (hinted !== null && hinted > options.maxDelayMs) return response!;
      const delayMs = Math.max(hinted ?? 0, backoffDelay(retry, options));
      onRetry?.({
        retry: retry + 1,
        delayMs,
        method: request.method,
        url: request.url,
        idempotencyKey: request.headers.get("idempotency-key"),
        status: response?.status ?? null,
        error,
      });
      await response?.body?.cancel();
      await sleep(delayMs, request.signal);
    }
  };
}
