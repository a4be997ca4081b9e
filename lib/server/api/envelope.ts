import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type DomainError } from "../errors";
import type { ApiEnv } from "./types";

/** The one error envelope. Retry-After (whole seconds, ≥ 1) on every 429 and 503, and wherever the error sets one. */
export function errorResponse(c: Context<ApiEnv>, error: DomainError): Response {
  c.set("errorCode", error.code);
  const status = error.status as ContentfulStatusCode;
  if (status === 429 || status === 503 || error.retryAfter !== undefined) {
    c.header("Retry-After", String(Math.max(1, Math.ceil(error.retryAfter ?? 1))));
  }
  return c.json(
    {
      error: {
        code: error.code,
        message: error.message,
        request_id: c.get("requestId"),
        ...(error.details ? { details: error.details } : {}),
      },
    },
    status,
  );
}
