import type { components } from "./generated/openapi.js";

export type ErrorEnvelope = components["schemas"]["Error"];
/** Every code the API answers with: the error catalog, plus `internal_error` (a fault of ours). */
export type ErrorCode = ErrorEnvelope["error"]["code"];

/** An error answer of the API: its catalog `code`, HTTP `status`, `requestId` (quote it to support) and `details`. */
export class GenmediaError extends Error {
  override readonly name = "GenmediaError";
  readonly code: ErrorCode;
  readonly status: number;
  readonly requestId: string;
  readonly details: Record<string, unknown> | undefined;
  /** The `Retry-After` header in seconds (429, 503 and some 409s), else null. */
  readonly retryAfter: number | null;

  constructor(status: number, envelope: ErrorEnvelope, retryAfter: number | null = null) {
    super(envelope.error.message);
    this.code = envelope.error.code;
    this.status = status;
    this.requestId = envelope.error.request_id;
    this.details = envelope.error.details;
    this.retryAfter = retryAfter;
  }
}

/** A non-2xx answer that is not the API's error envelope (e.g. a proxy's HTML page in front of it). */
export class UnexpectedResponseError extends Error {
  override readonly name = "UnexpectedResponseError";
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly requestId: string | null,
  ) {
    super(`Unexpected HTTP ${status} without the API's error envelope`);
  }
}

export function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  const error = (value as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  return (
    typeof error === "object" &&
    error !== null &&
    typeof error.code === "string" &&
    typeof error.message === "string" &&
    typeof error.request_id === "string"
  );
}

/** `Retry-After` as milliseconds (delta-seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The typed error for a non-2xx response whose body (already parsed when JSON) is `body`. */
export function errorFromResponse(
  response: Response,
  body: unknown,
): GenmediaError | UnexpectedResponseError {
  const retryAfter = retryAfterMs(response.headers.get("retry-after"));
  if (isErrorEnvelope(body))
    return new GenmediaError(response.status, body, retryAfter === null ? null : retryAfter / 1000);
  return new UnexpectedResponseError(response.status, body, response.headers.get("x-request-id"));
}
