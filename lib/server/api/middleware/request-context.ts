import type { MiddlewareHandler } from "hono";
import { newId } from "../../ids";
import { CLIENT_IP_HEADER, clientIpOf } from "../../net/client-ip";
import { recordRequest } from "../../request-log/writer";
import type { ApiEnv } from "../types";

/** Request id on every response, the client IP, and one request-log entry per request. */
export const requestContext: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const startedAt = Date.now();
  const t0 = performance.now();
  const requestId = newId("req");
  c.set("requestId", requestId);
  c.set("clientIp", clientIp(c));
  await next();
  c.res.headers.set("X-Request-Id", requestId);
  const auth = c.get("auth");
  recordRequest({
    requestId,
    at: new Date(startedAt),
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    code: c.get("errorCode") ?? null,
    customerId: auth?.customerId ?? null,
    userId: auth?.kind === "session" ? auth.userId : null,
    keyId: auth?.kind === "key" ? auth.keyId : null,
    keyPrefix: auth?.kind === "key" ? auth.keyPrefix : null,
    ip: c.get("clientIp"),
    origin: (c.get("enforcedOrigin") ?? c.req.header("origin"))?.slice(0, 500) ?? null,
    durationMs: Math.round(performance.now() - t0),
    idempotencyKey: c.req.header("idempotency-key")?.slice(0, 255) ?? null,
    jobId: c.get("jobId") ?? null,
    wouldRefuse: c.get("wouldRefuse") ?? null,
    errorDetails: c.get("errorDetails") ?? null,
  });
};

function clientIp(c: Parameters<MiddlewareHandler<ApiEnv>>[0]): string | null {
  const incoming = c.env?.incoming;
  // Standalone: the socket is ours to read. Mounted in Next: server.ts derived it from the socket
  // and overwrote any client-sent copy of the header.
  return incoming ? clientIpOf(incoming) : (c.req.header(CLIENT_IP_HEADER) ?? null);
}
