import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Tx } from "../db/client";
import { DomainError } from "../errors";
import {
  assertIdempotencyKey,
  fingerprint,
  type IdempotencyClaim,
  runIdempotent,
} from "../idempotency/idempotency";
import { errorDetailsForLog } from "./envelope";
import type { ApiEnv } from "./types";

/** The idempotency scope of a request: its customer, or the staff user for customer-less accounts. */
export function idempotencyScope(c: Context<ApiEnv>): string {
  const auth = c.get("auth");
  if (auth?.customerId) return auth.customerId;
  if (auth?.kind === "session") return `user:${auth.userId}`;
  throw new DomainError("authentication_failed");
}

/**
 * The request's claim on its `Idempotency-Key` header: null without one, invalid_request for a
 * malformed one. `body` stands for the request body in the fingerprint (with the method and path).
 * `sealed`: for responses that carry a secret (lib/server/idempotency: stored encrypted).
 */
export function idempotencyClaim(
  c: Context<ApiEnv>,
  body: unknown,
  options: { sealed?: boolean } = {},
): IdempotencyClaim | null {
  const key = c.req.header("idempotency-key");
  if (key === undefined) return null;
  assertIdempotencyKey(key);
  return {
    scope: idempotencyScope(c),
    key,
    fingerprint: fingerprint(c.req.method, c.req.path, body),
    requestId: c.get("requestId"),
    sealed: options.sealed,
  };
}

/**
 * A replayed response: the first response to this Idempotency-Key, byte for byte with its status.
 * Thrown by `idempotent()` and answered by the app's onError as it is, so that each route's own
 * return stays its typed `c.json(dto, status)` (a replay may be a stored error of any status).
 */
export class ReplayedResponse extends Error {
  constructor(readonly response: Response) {
    super("replayed");
    this.name = "ReplayedResponse";
  }
}

/**
 * Runs a POST's plain domain work under the request's Idempotency-Key (see runIdempotent) and returns
 * the work's value, which the route answers with `c.json(value, status)` — the same JSON text that is
 * stored. A repeat of the same request ends here with the stored response and `Idempotent-Replayed:
 * true`; conflicts and the work's catalog errors are thrown as DomainErrors (the error envelope).
 */
export async function idempotent<T>(
  c: Context<ApiEnv>,
  claim: IdempotencyClaim | null,
  status: ContentfulStatusCode,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const outcome = await runIdempotent(claim, status, work);
  if (!outcome.replayed) return outcome.value;
  c.header("Idempotent-Replayed", "true");
  const stored = (parseOrNull(outcome.text) as { error?: { code?: string; details?: unknown } } | null)
    ?.error;
  if (stored?.code) c.set("errorCode", stored.code);
  const details = errorDetailsForLog(stored?.details);
  if (details) c.set("errorDetails", details);
  throw new ReplayedResponse(
    c.body(outcome.text, outcome.status as ContentfulStatusCode, { "Content-Type": "application/json" }),
  );
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
