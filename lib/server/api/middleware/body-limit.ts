import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { assertWebhookSignable } from "../../billing/stripe";
import { bodyTooLarge } from "../../errors";
import type { ApiEnv } from "../types";

/** JSON bodies: the largest valid one (a key with its allowlists, a 2,000-character prompt) is a few kB. */
export const JSON_BODY_LIMIT = 64 * 1024;
/** Stripe's events are well under this. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const limits = new Map(
  [JSON_BODY_LIMIT, WEBHOOK_BODY_LIMIT].map((maxSize) => [
    maxSize,
    bodyLimit({
      maxSize,
      onError: () => {
        throw bodyTooLarge(maxSize);
      },
    }),
  ]),
);

/**
 * Every request body is bounded before a handler reads it (by Content-Length, or while it streams).
 * Multipart uploads are bounded by MAX_UPLOAD_BYTES where they are read, as they stream.
 */
export const limitBodies: MiddlewareHandler<ApiEnv> = (c, next) => {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) return next();
  const webhook = c.req.path.endsWith("/webhooks/stripe");
  // A webhook that could never verify (no secret here, no signature sent) is refused unread.
  if (webhook && c.req.method === "POST") assertWebhookSignable(c.req.header("stripe-signature"));
  const maxSize = webhook ? WEBHOOK_BODY_LIMIT : JSON_BODY_LIMIT;
  // Served by node-server (`npm run api`), Hono's bodyLimit would read `c.req.raw.body` first, which
  // builds a whole fetch Request (and an AbortController) for every request. Its two cheap cases are
  // decided here from the headers instead: no body, or a Content-Length (node:http reads no byte past
  // it). Only a chunked body is counted as it streams. Elsewhere (Next, tests) the Request exists.
  if (c.env?.incoming && c.req.header("transfer-encoding") === undefined) {
    const length = c.req.header("content-length");
    if (length === undefined) return next();
    if (Number.parseInt(length, 10) > maxSize) throw bodyTooLarge(maxSize);
    return next();
  }
  return limits.get(maxSize)!(c, next);
};
