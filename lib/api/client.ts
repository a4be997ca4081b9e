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

type Transport = (url: string, init: RequestInit) => Promise<Response>;
const SERVER_TRANSPORT = Symbol.for("genmedia.console.serverTransport");

/**
 * How the console's queries reach the API when they run on the server (a page prefetching its first
 * data): the API app in-process, with the page request's session (lib/server/console/in-process.ts).
 * The browser always uses `fetch`.
 */
export function setServerTransport(transport: Transport) {
  (globalThis as { [SERVER_TRANSPORT]?: Transport })[SERVER_TRANSPORT] = transport;
}

function transport(): Transport {
  if (typeof window === "undefined") {
    const onServer = (globalThis as { [SERVER_TRANSPORT]?: Transport })[SERVER_TRANSPORT];
    if (onServer) return onServer;
  }
  return fetch;
}

/** A response schema, or a loader of one (see `lazySchema`). */
export type SchemaSource<T> = ZodType<T> | (() => Promise<ZodType<T>>);

/**
 * A schema from a module imported on first use: the contract's schemas (and zod) then load alongside
 * the first request instead of in every page's first-load JavaScript. Kept by measurement (issue 13:
 * a workaround stays only while it pays): importing the schemas normally added 32–34 kB gzipped to
 * every console route's app JavaScript (2026-12-05, `npm run bench`: /jobs 102 → 136 kB, /keys/[keyId]
 * 91 → 124, /playground 90 → 124), over the 120 kB gate.
 */
export function lazySchema<M, T>(
  load: () => Promise<M>,
  pick: (m: M) => ZodType<T>,
): () => Promise<ZodType<T>> {
  return () => load().then(pick);
}

/**
 * The only JSON fetch of the console. Returns data parsed by `schema`, or throws an ApiError —
 * for an error envelope, a network failure, a non-JSON page, or a body that fails its schema.
 */
export async function apiFetch<T>(
  path: string,
  schema: SchemaSource<T>,
  init: ApiFetchInit = {},
): Promise<T> {
  // A lazy schema loads while the request is in flight; its failure is read after the response.
  const schemaReady = typeof schema === "function" ? schema() : Promise.resolve(schema);
  schemaReady.catch(() => {});
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
    res = await transport()(path.startsWith("http") ? path : `${API_BASE}${path}`, {
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
  let resolved: ZodType<T>;
  try {
    resolved = await schemaReady;
  } catch {
    throw new ApiError({
      code: "network_error",
      status: 0,
      message: "Could not load part of the console. Check your connection.",
      requestId,
    });
  }
  const parsed = resolved.safeParse(data);
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
