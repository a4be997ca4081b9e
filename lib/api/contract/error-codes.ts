/**
 * The platform's error catalog (API.md + error-codes.md), the single source of codes and statuses.
 * `status: null` means the code is never an HTTP response: it only appears inside a job's `error`.
 */
export const ERROR_CODES = {
  authentication_failed: { status: 401, message: "Missing or invalid bearer token." },
  account_disabled: { status: 403, message: "Key or customer is paused." },
  origin_not_allowed: {
    status: 403,
    message: "Key has an allowed-origin list and the request Origin didn't match.",
  },
  ip_not_allowed: { status: 403, message: "Key has an allowed-IP list and the request IP didn't match." },
  invalid_request: { status: 400, message: "Body failed validation." },
  invalid_product: { status: 400, message: "Unknown product id." },
  source_image_required: {
    status: 400,
    message: "This model needs a source image. Provide source_image_url (or start_image_url for video).",
  },
  invalid_image: { status: 400, message: "An uploaded image could not be decoded." },
  image_too_large: { status: 400, message: "An uploaded image exceeded the size cap." },
  insufficient_balance: { status: 402, message: "Not enough credits. Top up to continue." },
  product_paused: { status: 409, message: "Product temporarily unavailable." },
  invalid_state: {
    status: 409,
    message: "The job isn't in a state that supports this action (e.g. retrying a non-failed job).",
  },
  idempotency_conflict: { status: 409, message: "Idempotency-Key reused with a different request body." },
  invalid_pack: { status: 400, message: "Unknown top-up pack." },
  rate_limited: { status: 429, message: "Too many requests. Slow down and honor Retry-After." },
  queue_full: { status: 429, message: "Too many unfinished jobs queued under this key." },
  rate_limiter_unavailable: {
    status: 503,
    message: "Rate limiter is temporarily unreachable; requests are rejected fail-closed. Retry shortly.",
  },
  // 503 when a dependency of ours is down; 502 when the generation backend answered badly.
  service_unavailable: { status: 503, message: "Backend is temporarily unavailable. Retry with backoff." },
  not_found: { status: 404, message: "Resource does not exist or isn't owned by your key." },
  generation_failed: {
    status: null,
    message: "Generation could not be produced. Credits are refunded automatically.",
  },
  // Beyond the catalog: a fault of ours that nothing else names. A bug every time.
  internal_error: { status: 500, message: "Something went wrong on our side." },
} as const satisfies Record<string, { status: number | null; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** The 20 codes of the public catalog (everything but `internal_error`). */
export const CATALOG_CODES = ERROR_CODE_LIST.filter((c) => c !== "internal_error");

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

/** Codes a client may retry by itself (with the same Idempotency-Key). */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set([
  "rate_limited",
  "rate_limiter_unavailable",
  "service_unavailable",
]);
