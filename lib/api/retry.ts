import { ApiError } from "./errors";

export const MAX_RETRIES = 3;

/** Retry only 429, 503 and network failures — never other 4xx or 5xx. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < MAX_RETRIES && ApiError.is(error) && error.retryable;
}

/** Honour Retry-After; otherwise exponential backoff (1 s, 2 s, 4 s… capped at 30 s) with full jitter. */
export function retryDelay(attempt: number, error: unknown, random: () => number = Math.random): number {
  if (ApiError.is(error) && error.retryAfter !== null) return error.retryAfter * 1000;
  const ceiling = Math.min(30_000, 1000 * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
