import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import { getDb, type Tx } from "../db/client";
import { LOCK_NOT_AVAILABLE, pgErrorCode } from "../db/pg-error";
import { idempotencyKeys } from "../db/schema";
import { DomainError } from "../errors";
import { serverSecret } from "../env";

export const IDEMPOTENCY_TTL_HOURS = 24;
const WAIT_SECONDS = 10;
// Printable ASCII, space included (headers arrive trimmed, so a key never starts or ends with one).
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/**
 * A request's claim on its Idempotency-Key (lib/server/api/idempotent.ts reads it off the request).
 * `scope`: the customer (or `user:<id>` for staff); `fingerprint`: of the method, path and body;
 * `requestId`: the one a stored error envelope names.
 *
 * `sealed` is for responses that carry a secret (a new API key's `sk_live_…`): the row is keyed on an
 * HMAC of the Idempotency-Key (never the key itself) and the response is stored AES-256-GCM-encrypted
 * under a key derived (HKDF) from the Idempotency-Key and the server secret. The database alone holds
 * no secret and no way to decrypt one (the request log keeps Idempotency-Keys, but without the server
 * secret they open nothing): only a caller presenting the same key to a server holding the same secret
 * gets the response back. After the secret changes, an old key finds no claim and the request runs anew.
 */
export type IdempotencyClaim = {
  scope: string;
  key: string;
  fingerprint: string;
  requestId: string;
  sealed?: boolean;
};

/** The work's own value, or the first response to this key: its status and exact JSON text. */
export type Idempotent<T> = { replayed: false; value: T } | { replayed: true; status: number; text: string };

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

/** An Idempotency-Key a client sent: 1–255 printable ASCII characters, else invalid_request. */
export function assertIdempotencyKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new DomainError("invalid_request", {
      message: "Idempotency-Key must be 1–255 printable characters.",
      details: { fields: [{ path: "header.idempotency-key", message: "1–255 printable ASCII characters" }] },
    });
  }
}

/**
 * Runs a POST's work in one transaction that also claims its Idempotency-Key (when there is a claim;
 * without one, the work alone in a transaction). `status` is the response status stored with a fresh
 * value, whose stored text is its JSON.
 * - Same key, same request: the first response (status and text) comes back, `replayed`.
 * - Same key, other request: throws 409 idempotency_conflict.
 * - Same key while the first still runs: the claim's INSERT waits on the first transaction's row lock
 *   (up to 10 s), then replays; still running → 409 with details.reason "in_progress", Retry-After 1.
 * - A catalog error from the work (402, 409…) is stored (as its envelope) and thrown; the work's
 *   writes are rolled back by a savepoint. Any other failure rolls the claim back too, so a retry runs
 *   for real.
 */
export async function runIdempotent<T>(
  claim: IdempotencyClaim | null,
  status: number,
  work: (tx: Tx) => Promise<T>,
): Promise<Idempotent<T>> {
  const db = await getDb();
  if (claim === null) return { replayed: false, value: await db.transaction(work) };
  const { scope, key, fingerprint: print } = claim;
  const seal = claim.sealed ? sealer(scope, key) : null;
  const rowKey = seal ? seal.rowKey : key;

  type Outcome =
    | { kind: "fresh"; value: T }
    | { kind: "replay"; status: number; body: unknown }
    | { kind: "error"; error: DomainError };
  let outcome: Outcome;
  // Only a lock wait while claiming means "the first request is still running"; the work's own lock
  // waits (a busy balance row, say) are not bounded by the claim's timeout.
  let claiming = false;
  try {
    outcome = await db.transaction(async (tx): Promise<Outcome> => {
      claiming = true;
      let claimed = await claimKey(tx, scope, rowKey, print);
      await tx.execute(sql.raw(`set local lock_timeout = default`));
      claiming = false;
      if (!claimed) {
        const [row] = await tx
          .select()
          .from(idempotencyKeys)
          .where(and(eq(idempotencyKeys.customerId, scope), eq(idempotencyKeys.key, rowKey)));
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
            .where(and(eq(idempotencyKeys.customerId, scope), eq(idempotencyKeys.key, rowKey)));
          claimed = await claimKey(tx, scope, rowKey, print);
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
      let value: T;
      await tx.execute(sql.raw("savepoint idempotent_work"));
      try {
        value = await work(tx);
      } catch (error) {
        if (!(error instanceof DomainError) || !isStored(error)) throw error;
        await tx.execute(sql.raw("rollback to savepoint idempotent_work"));
        await store(tx, scope, rowKey, error.status, envelopeOf(claim.requestId, error), seal, print);
        return { kind: "error", error };
      }
      await store(tx, scope, rowKey, status, value, seal, print);
      return { kind: "fresh", value };
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

  if (outcome.kind === "fresh") return { replayed: false, value: outcome.value };
  if (outcome.kind === "error") throw outcome.error;
  const text = seal ? seal.open(outcome.body, print) : storedText(outcome.body);
  return { replayed: true, status: outcome.status, text };
}

/**
 * Claims (scope, key) with this request's fingerprint: true when this request owns it now. A claim
 * held by a running transaction makes the INSERT wait on its row lock — up to WAIT_SECONDS, set in the
 * same statement (set_config runs before the insert; the caller resets it before the work runs).
 */
async function claimKey(tx: Tx, scope: string, key: string, print: string): Promise<boolean> {
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

/** The error envelope lib/server/api/envelope.ts answers with, as stored for replays. */
function envelopeOf(requestId: string, error: DomainError) {
  return {
    error: {
      code: error.code,
      message: error.message,
      request_id: requestId,
      ...(error.details ? { details: error.details } : {}),
    },
  };
}

async function store(
  tx: Tx,
  scope: string,
  rowKey: string,
  status: number,
  body: unknown,
  seal: Sealer | null,
  print: string,
) {
  const text = serialize(body);
  await tx
    .update(idempotencyKeys)
    .set({
      responseStatus: status,
      responseBody: seal ? seal.close(text, print) : { [TEXT_KEY]: text },
    })
    .where(and(eq(idempotencyKeys.customerId, scope), eq(idempotencyKeys.key, rowKey)));
}

/** Sealed rows: `{ "$sealed": base64(iv ‖ tag ‖ ciphertext) }`, keyed on SEALED_PREFIX + an HMAC. */
const SEALED_KEY = "$sealed";
/** Not printable ASCII, so a sealed row's key can never equal a key a client sends. */
const SEALED_PREFIX = "\u00a7";

type Sealer = {
  rowKey: string;
  close(text: string, print: string): Record<string, string>;
  open(stored: unknown, print: string): string;
};

function sealer(scope: string, key: string): Sealer {
  const secret = serverSecret();
  const rowKey = SEALED_PREFIX + createHmac("sha256", secret).update(`idempotency-key\0${key}`).digest("hex");
  const cipherKey = Buffer.from(hkdfSync("sha256", key, secret, `idempotent-replay\0${scope}`, 32));
  // The ciphertext is bound to its row and request: it cannot be moved to another claim.
  const aad = (print: string) => Buffer.from(`${scope}\0${rowKey}\0${print}`);
  return {
    rowKey,
    close(text, print) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", cipherKey, iv);
      cipher.setAAD(aad(print));
      const data = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
      return { [SEALED_KEY]: Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64") };
    },
    open(stored, print) {
      const sealed = (stored as Record<string, unknown> | null)?.[SEALED_KEY];
      try {
        if (typeof sealed !== "string") throw new Error("not sealed");
        const raw = Buffer.from(sealed, "base64");
        const decipher = createDecipheriv("aes-256-gcm", cipherKey, raw.subarray(0, 12));
        decipher.setAAD(aad(print));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        // A changed ciphertext (the tag does not verify): refused, never replayed as garbage. (Another
        // server secret never gets here: it finds no claim, the row keys on an HMAC under the secret.)
        throw new DomainError("idempotency_conflict", {
          message: "The first response to this Idempotency-Key can no longer be replayed; use a new key.",
          details: { reason: "not_replayable" },
        });
      }
    },
  };
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
