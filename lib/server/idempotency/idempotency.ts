import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { getDb, type Tx } from "../db/client";
import { LOCK_NOT_AVAILABLE, pgErrorCode } from "../db/pg-error";
import { idempotencyKeys } from "../db/schema";
import { DomainError } from "../errors";
import { errorResponse } from "../api/envelope";
import type { ApiEnv } from "../api/types";

export const IDEMPOTENCY_TTL_HOURS = 24;
const WAIT_SECONDS = 10;
// Printable ASCII, space included (headers arrive trimmed, so a key never starts or ends with one).
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** What a handler's work produces; stored and replayed byte-for-byte (status and body). */
export type WorkResult = { status: ContentfulStatusCode; body: unknown };

/** Codes that never started executing, or rolled back: a retry must run for real, so they are not stored. */
const NOT_STORED = new Set([
  "invalid_request",
  "authentication_failed",
  "rate_limited",
  "rate_limiter_unavailable",
  "service_unavailable",
  "internal_error",
]);

/**
 * Validation 400s (invalid_request, invalid_pack, invalid_product…), auth failures, 429s and every 5xx
 * are not stored; catalog outcomes of real work (402, 404, 409…) are.
 */
function isStored(error: DomainError): boolean {
  const s = error.status;
  return !NOT_STORED.has(error.code) && s !== 400 && s !== 401 && s !== 429 && s < 500;
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` fingerprint alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`)
    .digest("hex");
}

/**
 * Runs a POST's work in one transaction that also claims its Idempotency-Key (when one is sent).
 * - Same key, same request: the first response is replayed with `Idempotent-Replayed: true`.
 * - Same key, other request: 409 idempotency_conflict.
 * - Same key while the first still runs: the claim's INSERT waits on the first transaction's row lock
 *   (up to 10 s), then replays; still running → 409 with details.reason "in_progress", Retry-After 1.
 * - A catalog error from the work (402, 409…) is stored and replayed; the work's writes are rolled
 *   back by a savepoint. Any other failure rolls the claim back too, so a retry runs for real.
 */
export async function runIdempotent(
  c: Context<ApiEnv>,
  scope: string,
  body: unknown,
  work: (tx: Tx) => Promise<WorkResult>,
): Promise<Response> {
  const key = c.req.header("idempotency-key");
  const db = await getDb();
  if (key === undefined) {
    const result = await db.transaction(work);
    return c.json(result.body as object, result.status);
  }
  if (!KEY_PATTERN.test(key)) {
    throw new DomainError("invalid_request", {
      message: "Idempotency-Key must be 1–255 printable characters.",
      details: { fields: [{ path: "header.idempotency-key", message: "1–255 printable ASCII characters" }] },
    });
  }
  const print = fingerprint(c.req.method, c.req.path, body);

  type Outcome =
    | { kind: "fresh"; result: WorkResult }
    | { kind: "replay"; status: number; body: unknown }
    | { kind: "error"; error: DomainError };
  let outcome: Outcome;
  // Only a lock wait while claiming means "the first request is still running"; the work's own lock
  // waits (a busy balance row, say) are not bounded by the claim's timeout.
  let claiming = false;
  try {
    outcome = await db.transaction(async (tx): Promise<Outcome> => {
      claiming = true;
      let claimed = await claim(tx, scope, key, print);
      await tx.execute(sql.raw(`set local lock_timeout = default`));
      claiming = false;
      if (!claimed) {
        const [row] = await tx
          .select()
          .from(idempotencyKeys)
          .where(and(eq(idempotencyKeys.customerId, scope), eq(idempotencyKeys.key, key)));
        if (!row)
          throw new DomainError("idempotency_conflict", {
            details: { reason: "in_progress" },
            retryAfter: 1,
          });
        if (isExpired(row.createdAt)) {
          // A claim older than 24 h does not count: the key may be reused. (Rare: deleted only then,
          // so the common path is one statement.)
          claiming = true;
          await tx
            .delete(idempotencyKeys)
            .where(and(eq(idempotencyKeys.customerId, scope), eq(idempotencyKeys.key, key)));
          claimed = await claim(tx, scope, key, print);
          await tx.execute(sql.raw(`set local lock_timeout = default`));
          claiming = false;
          if (!claimed) {
            throw new DomainError("idempotency_conflict", {
              details: { reason: "in_progress" },
              retryAfter: 1,
            });
          }
        } else if (row.fingerprint !== print) {
          return {
            kind: "error",
            error: new DomainError("idempotency_conflict", {
              message: "This Idempotency-Key was used for a different request.",
              details: { reason: "different_request" },
            }),
          };
        } else {
          return { kind: "replay", status: row.responseStatus ?? 200, body: row.responseBody };
        }
      }
      // The work in a savepoint of our own (rolled back on a stored error; released by the commit).
      let result: WorkResult;
      await tx.execute(sql.raw("savepoint idempotent_work"));
      try {
        result = await work(tx);
      } catch (error) {
        if (!(error instanceof DomainError) || !isStored(error)) throw error;
        await tx.execute(sql.raw("rollback to savepoint idempotent_work"));
        result = { status: error.status as ContentfulStatusCode, body: envelopeOf(c, error) };
        await store(tx, scope, key, result);
        return { kind: "error", error };
      }
      await store(tx, scope, key, result);
      return { kind: "fresh", result };
    });
  } catch (error) {
    if (claiming && pgErrorCode(error) === LOCK_NOT_AVAILABLE) {
      throw new DomainError("idempotency_conflict", {
        message: "A request with this Idempotency-Key is still running. Retry shortly.",
        details: { reason: "in_progress" },
        retryAfter: 1,
        status: 409,
      });
    }
    throw error;
  }

  if (outcome.kind === "fresh") return jsonText(c, serialize(outcome.result.body), outcome.result.status);
  if (outcome.kind === "error") return errorResponse(c, outcome.error);
  c.header("Idempotent-Replayed", "true");
  const text = storedText(outcome.body);
  const replayedCode = (parseOrNull(text) as { error?: { code?: string } } | null)?.error?.code;
  if (replayedCode) c.set("errorCode", replayedCode);
  return jsonText(c, text, outcome.status as ContentfulStatusCode);
}

/**
 * Claims (scope, key) with this request's fingerprint: true when this request owns it now. A claim
 * held by a running transaction makes the INSERT wait on its row lock — up to WAIT_SECONDS, set in the
 * same statement (set_config runs before the insert; the caller resets it before the work runs).
 */
async function claim(tx: Tx, scope: string, key: string, print: string): Promise<boolean> {
  const result = (await tx.execute(sql`
    insert into ${idempotencyKeys} (customer_id, key, fingerprint)
    select ${scope}, ${key}, ${print}
    from (select set_config('lock_timeout', ${`${WAIT_SECONDS}s`}, true)) as wait
    on conflict do nothing
    returning key
  `)) as unknown as { rows: unknown[] };
  return result.rows.length > 0;
}

function isExpired(createdAt: Date): boolean {
  return Date.now() - createdAt.getTime() > IDEMPOTENCY_TTL_HOURS * 3_600_000;
}

const serialize = (body: unknown) => JSON.stringify(body ?? null);

/**
 * The response is stored as its exact JSON text inside a one-key jsonb object, so the replay is
 * byte-for-byte (jsonb itself reorders object keys). Rows without the wrapper replay as equal JSON.
 */
const TEXT_KEY = "$json";

function storedText(stored: unknown): string {
  const text = (stored as Record<string, unknown> | null)?.[TEXT_KEY];
  return typeof text === "string" ? text : serialize(stored);
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function jsonText(c: Context<ApiEnv>, text: string, status: ContentfulStatusCode): Response {
  return c.body(text, status, { "Content-Type": "application/json" });
}

function envelopeOf(c: Context<ApiEnv>, error: DomainError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      request_id: c.get("requestId"),
      ...(error.details ? { details: error.details } : {}),
    },
  };
}

async function store(tx: Tx, scope: string, key: string, result: WorkResult) {
  await tx
    .update(idempotencyKeys)
    .set({ responseStatus: result.status, responseBody: { [TEXT_KEY]: serialize(result.body) } })
    .where(and(eq(idempotencyKeys.customerId, scope), eq(idempotencyKeys.key, key)));
}

/** Deletes claims older than 24 h. Called periodically by the background loop. */
export async function pruneIdempotencyKeys(): Promise<number> {
  const db = await getDb();
  const deleted = await db
    .delete(idempotencyKeys)
    .where(
      lt(idempotencyKeys.createdAt, sql`now() - interval '${sql.raw(String(IDEMPOTENCY_TTL_HOURS))} hours'`),
    )
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}

/** The idempotency scope of a request: its customer, or the staff user for customer-less accounts. */
export function idempotencyScope(c: Context<ApiEnv>): string {
  const auth = c.get("auth");
  if (auth?.customerId) return auth.customerId;
  if (auth?.kind === "session") return `user:${auth.userId}`;
  throw new DomainError("authentication_failed");
}
