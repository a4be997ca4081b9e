import { ERROR_CODES, isErrorCode, RETRYABLE_CODES, type ErrorCode } from "./contract/error-codes";

/** Codes the client itself produces when there is no catalog envelope to read. */
export type ClientErrorCode = "network_error" | "unexpected_response";

/** Every failure the query layer sees: a catalog code from the envelope, or one of the client's own. */
export class ApiError extends Error {
  readonly code: ErrorCode | ClientErrorCode;
  /** HTTP status; 0 for a network failure. */
  readonly status: number;
  readonly requestId: string | null;
  /** Seconds from Retry-After, when the server sent it. */
  readonly retryAfter: number | null;
  readonly details: Record<string, unknown>;
  /** The code as the server sent it, even when this client does not know it. */
  readonly rawCode: string | null;

  constructor(init: {
    code: ErrorCode | ClientErrorCode;
    status: number;
    message: string;
    requestId?: string | null;
    retryAfter?: number | null;
    details?: Record<string, unknown>;
    rawCode?: string | null;
  }) {
    super(init.message);
    this.name = "ApiError";
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.details = init.details ?? {};
    this.rawCode = init.rawCode ?? (isErrorCode(init.code) ? init.code : null);
  }

  /** 429, 503 and network failures may be retried (with the same Idempotency-Key); nothing else. */
  get retryable(): boolean {
    return this.code === "network_error" || (isErrorCode(this.code) && RETRYABLE_CODES.has(this.code));
  }

  static is(error: unknown): error is ApiError {
    return error instanceof ApiError;
  }
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Reads a non-2xx response into an ApiError: the envelope when there is one, else a best effort. */
export async function apiErrorFromResponse(res: Response): Promise<ApiError> {
  const headerId = res.headers.get("x-request-id");
  const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
  let body: unknown = null;
  const text = await res.text().catch(() => "");
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: an HTML error page from a proxy, say */
  }
  const envelope = (body as { error?: Record<string, unknown> } | null)?.error;
  if (envelope && typeof envelope.code === "string") {
    const code = isErrorCode(envelope.code) ? envelope.code : "unexpected_response";
    return new ApiError({
      code,
      status: res.status,
      message: typeof envelope.message === "string" ? envelope.message : res.statusText,
      requestId: typeof envelope.request_id === "string" ? envelope.request_id : headerId,
      retryAfter,
      details: (envelope.details as Record<string, unknown> | undefined) ?? {},
      rawCode: envelope.code,
    });
  }
  // No envelope: a gateway page or similar. 502/503/504 mean "try again"; anything else is unexpected.
  const gateway = res.status === 502 || res.status === 503 || res.status === 504;
  return new ApiError({
    code: gateway ? "service_unavailable" : "unexpected_response",
    status: res.status,
    message: gateway ? ERROR_CODES.service_unavailable.message : `Unexpected response (HTTP ${res.status}).`,
    requestId: headerId,
    retryAfter,
  });
}
