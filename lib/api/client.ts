import type { ZodType } from "zod";
import { ApiError, apiErrorFromResponse } from "./errors";

export const API_BASE = "/api/v1";

export type ApiFetchInit = Omit<RequestInit, "body"> & {
  /** Sent as JSON with Content-Type: application/json. */
  json?: unknown;
  body?: BodyInit;
  idempotencyKey?: string;
  /** A pasted API key: sent as Bearer instead of the session cookie. */
  apiKey?: string;
};

/**
 * The only JSON fetch of the console. Returns data parsed by `schema`, or throws an ApiError —
 * for an error envelope, a network failure, a non-JSON page, or a body that fails its schema.
 */
export async function apiFetch<T>(path: string, schema: ZodType<T>, init: ApiFetchInit = {}): Promise<T> {
  const { json, idempotencyKey, apiKey, headers: extra, ...rest } = init;
  const headers = new Headers(extra);
  headers.set("accept", "application/json");
  let body = init.body;
  if (json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(json);
  }
  if (idempotencyKey) headers.set("idempotency-key", idempotencyKey);
  if (apiKey) headers.set("authorization", `Bearer ${apiKey}`);

  let res: Response;
  try {
    res = await fetch(path.startsWith("http") ? path : `${API_BASE}${path}`, {
      credentials: apiKey ? "omit" : "same-origin",
      ...rest,
      headers,
      body,
    });
  } catch (cause) {
    if ((cause as Error)?.name === "AbortError") throw cause;
    throw new ApiError({
      code: "network_error",
      status: 0,
      message: "Could not reach the server. Check your connection.",
    });
  }
  if (!res.ok) throw await apiErrorFromResponse(res);

  const requestId = res.headers.get("x-request-id");
  let data: unknown = null;
  if (res.status !== 204) {
    try {
      data = await res.json();
    } catch {
      throw new ApiError({
        code: "unexpected_response",
        status: res.status,
        message: "The server sent a response that is not JSON.",
        requestId,
      });
    }
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new ApiError({
      code: "unexpected_response",
      status: res.status,
      message: "The server's response did not match the contract.",
      requestId,
    });
  }
  return parsed.data;
}

/** A fresh Idempotency-Key (one per user action, reused across that action's retries). */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}
