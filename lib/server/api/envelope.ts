import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type DomainError } from "../errors";
import type { ApiEnv } from "./types";

/** The one error envelope. Retry-After (whole seconds, ≥ 1) on every 429 and 503, and wherever the error sets one. */
export function errorResponse(c: Context<ApiEnv>, error: DomainError): Response {
  c.set("errorCode", error.code);
  const logged = errorDetailsForLog(error.details);
  if (logged) c.set("errorDetails", logged);
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

const MAX_LOGGED_DETAIL = 200;

/**
 * What the request log keeps of an error's details: its scalar members (reason, limit, key_id,
 * figures), strings cut at 200 characters; field lists and other nested values are left out. Null
 * when nothing is left.
 */
export function errorDetailsForLog(
  details: unknown,
): Record<string, string | number | boolean | null> | null {
  if (!details || typeof details !== "object" || Array.isArray(details)) return null;
  const kept: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
    if (typeof value === "string") kept[key] = value.slice(0, MAX_LOGGED_DETAIL);
    else if (typeof value === "number" || typeof value === "boolean" || value === null) kept[key] = value;
  }
  return Object.keys(kept).length ? kept : null;
}
