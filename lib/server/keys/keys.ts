import { and, count, desc, eq, gt, isNull, lt, ne, or, sql } from "drizzle-orm";
import type {
  CheckKeyBody,
  CreateKeyBody,
  Key,
  KeyCheck,
  KeyList,
  KeyRotation,
  KeyWithSecret,
  UpdateKeyBody,
} from "@/lib/api/contract/keys.schema";
import { type AuditActor, changesOf, recordAudit } from "../audit/audit";
import { toSpendState } from "../billing/spend";
import { getDb, type Tx } from "../db/client";
import { apiKeys, keySecrets } from "../db/schema";
import { DomainError } from "../errors";
import { newId } from "../ids";
import { isStorableMs } from "../query-time";
import { evaluateAllowlists, shadowActive } from "./allowlist";
import { keyChanged } from "./auth-cache";
import { canonicalIp } from "./ips";
import { normalizeRequestOrigin } from "./origins";
import { displayPrefix, generateSecret, hashSecret } from "./secret";
import { invalidField, normaliseAllowlists } from "./validate";
import { idCursor, idFromCursor } from "../cursor";

type KeyRow = typeof apiKeys.$inferSelect;

/** Who changes a key, for whom, in which request: what the audit trail records. */
export type KeyChangeContext = { customerId: string; actor: AuditActor; requestId: string | null };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toKeyDto(row: KeyRow): Key {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    status: row.status,
    paused_by: row.status === "paused" ? (row.pausedBy ? "support" : "customer") : null,
    allowed_origins: row.allowedOrigins,
    allowed_ips: row.allowedIps,
    created_at: row.createdAt.toISOString(),
    last_used_at: iso(row.lastUsedAt),
    last_used_ip: row.lastUsedIp,
    last_used_origin: row.lastUsedOrigin,
    expires_at: iso(row.expiresAt),
    revoked_at: iso(row.revokedAt),
    shadow:
      row.shadowStartedAt && row.shadowEndsAt && row.shadowAllowedIps && row.shadowAllowedOrigins
        ? {
            allowed_origins: row.shadowAllowedOrigins,
            allowed_ips: row.shadowAllowedIps,
            started_at: row.shadowStartedAt.toISOString(),
            ends_at: row.shadowEndsAt.toISOString(),
            active: shadowActive(row, new Date()),
            would_refuse: row.shadowWouldRefuse,
          }
        : null,
    rotation: rotationOf(row),
    spend: toSpendState(row),
  };
}

/** The roll's grace, while the replaced secret still works (never on a revoked key). */
export function rotationOf(row: KeyRow, now = new Date()): KeyRotation | null {
  if (row.status === "revoked" || !row.rolledAt || !row.oldPrefix || !row.oldExpiresAt) return null;
  if (row.oldExpiresAt <= now) return null;
  return {
    rolled_at: row.rolledAt.toISOString(),
    old_prefix: row.oldPrefix,
    old_expires_at: row.oldExpiresAt.toISOString(),
    old_last_used_at: iso(row.oldLastUsedAt),
  };
}

export const notFoundKey = (id: string) => new DomainError("not_found", { message: `No key ${id}.` });

export function revokedState(): DomainError {
  return new DomainError("invalid_state", {
    message: "This key is revoked; a revoked key can't be changed or rolled.",
    details: { status: "revoked", allowed_from: ["active", "paused"] },
  });
}

/** The customer's keys, newest first, keyset-paginated. */
export async function listKeys(
  customerId: string,
  page: { limit: number; cursor?: string },
): Promise<KeyList> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.customerId, customerId),
        page.cursor ? lt(apiKeys.id, idFromCursor(page.cursor, /^key_[0-9A-Z]{26}$/)) : undefined,
      ),
    )
    .orderBy(desc(apiKeys.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const data = rows.slice(0, page.limit).map(toKeyDto);
  return { data, next_cursor: more && data.length ? idCursor(data.at(-1)!.id) : null };
}

/** One of the customer's keys; another customer's key is not_found, exactly like a missing one. */
export async function getKeyOrThrow(customerId: string, id: string): Promise<Key> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.customerId, customerId)));
  if (!row) throw notFoundKey(id);
  return toKeyDto(row);
}

export async function lockKey(tx: Tx, customerId: string, id: string): Promise<KeyRow> {
  const [row] = await tx
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.customerId, customerId)))
    .for("update");
  if (!row) throw notFoundKey(id);
  return row;
}

/**
 * Creates a key in the caller's transaction (the route's idempotency claim shares it). At most
 * `maxKeys` live keys (neither revoked nor expired) per customer: past it, invalid_state (revoke one first).
 */
export async function createKey(
  tx: Tx,
  ctx: KeyChangeContext,
  input: CreateKeyBody,
  maxKeys: number,
): Promise<KeyWithSecret> {
  const lists = normaliseAllowlists(input);
  const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw invalidField("expires_at", "The expiry must be in the future.");
  }
  // Year 10000 (9999-12-31T23:59:59-14:00 is one) is valid RFC 3339 but has no ISO string a client
  // could parse back: refuse it here rather than store a key whose every answer would be a 500.
  if (expiresAt && !isStorableMs(expiresAt.getTime())) {
    throw invalidField("expires_at", "The expiry must be before the year 10000.");
  }
  const secret = generateSecret();
  // One key creation per customer at a time, so parallel requests cannot both pass the count.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`keys:${ctx.customerId}`}))`);
  const [held] = await tx
    .select({ n: count() })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.customerId, ctx.customerId),
        ne(apiKeys.status, "revoked"),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
      ),
    );
  if ((held?.n ?? 0) >= maxKeys) {
    throw new DomainError("invalid_state", {
      message: `This account holds ${held!.n} live keys (neither revoked nor expired), the most it may (${maxKeys}). Revoke one first.`,
      details: { reason: "key_limit", limit: maxKeys, keys: held!.n },
    });
  }
  const [created] = await tx
    .insert(apiKeys)
    .values({
      id: newId("key"),
      customerId: ctx.customerId,
      name: input.name,
      prefix: displayPrefix(secret),
      allowedOrigins: lists.allowedOrigins ?? [],
      allowedIps: lists.allowedIps ?? [],
      expiresAt,
    })
    .returning();
  await tx.insert(keySecrets).values({ secretHash: hashSecret(secret), keyId: created!.id });
  await recordAudit(tx, {
    actor: ctx.actor,
    action: "key.create",
    customerId: ctx.customerId,
    targetType: "api_key",
    targetId: created!.id,
    requestId: ctx.requestId,
    details: { prefix: created!.prefix },
    changes: changesOf(null, {
      name: created!.name,
      allowed_origins: created!.allowedOrigins,
      allowed_ips: created!.allowedIps,
      expires_at: iso(created!.expiresAt),
    }),
  });
  return { ...toKeyDto(created!), secret };
}

/** A key support paused stays paused until support resumes it: the customer can't undo a staff action. */
function pausedBySupport(): DomainError {
  return new DomainError("invalid_state", {
    message: "Support paused this key; only support can resume it. Contact support with this request id.",
    details: { status: "paused", paused_by: "support", allowed_from: [] },
  });
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

export async function updateKey(ctx: KeyChangeContext, id: string, input: UpdateKeyBody): Promise<Key> {
  const lists = normaliseAllowlists(input);
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const before = await lockKey(tx, ctx.customerId, id);
    if (before.status === "revoked") throw revokedState();
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (input.name !== undefined && input.name !== before.name)
      changes.name = { from: before.name, to: input.name };
    if (input.status !== undefined && input.status !== before.status) {
      if (before.pausedBy) throw pausedBySupport();
      changes.status = { from: before.status, to: input.status };
    }
    if (lists.allowedOrigins && !sameList(lists.allowedOrigins, before.allowedOrigins)) {
      changes.allowed_origins = { from: before.allowedOrigins, to: lists.allowedOrigins };
    }
    if (lists.allowedIps && !sameList(lists.allowedIps, before.allowedIps)) {
      changes.allowed_ips = { from: before.allowedIps, to: lists.allowedIps };
    }
    if (
      input.monthly_credit_limit !== undefined &&
      input.monthly_credit_limit !== before.monthlyCreditLimit
    ) {
      changes.monthly_credit_limit = { from: before.monthlyCreditLimit, to: input.monthly_credit_limit };
    }
    if (!Object.keys(changes).length) return before;
    const [after] = await tx
      .update(apiKeys)
      .set({
        name: input.name ?? before.name,
        status: input.status ?? before.status,
        allowedOrigins: lists.allowedOrigins ?? before.allowedOrigins,
        allowedIps: lists.allowedIps ?? before.allowedIps,
        ...(input.monthly_credit_limit !== undefined && { monthlyCreditLimit: input.monthly_credit_limit }),
        updatedAt: new Date(),
      })
      .where(eq(apiKeys.id, id))
      .returning();
    await keyChanged(tx, id);
    const only = Object.keys(changes);
    const action =
      only.length === 1 && changes.status
        ? changes.status.to === "paused"
          ? "key.pause"
          : "key.resume"
        : "key.update";
    await recordAudit(tx, {
      actor: ctx.actor,
      action,
      customerId: ctx.customerId,
      targetType: "api_key",
      targetId: id,
      requestId: ctx.requestId,
      details: { prefix: before.prefix },
      changes,
    });
    return after!;
  });
  return toKeyDto(row);
}

/** A new secret; the old ones keep working for `graceSeconds` (0: they stop now). */
export async function rollKey(
  tx: Tx,
  ctx: KeyChangeContext,
  id: string,
  graceSeconds: number,
): Promise<KeyWithSecret> {
  const secret = generateSecret();
  const now = new Date();
  const oldExpiresAt = new Date(now.getTime() + graceSeconds * 1000);
  const before = await lockKey(tx, ctx.customerId, id);
  if (before.status === "revoked") throw revokedState();
  // Only ever shortens an old secret's life: a second roll can't revive one already expiring sooner.
  await tx
    .update(keySecrets)
    .set({ expiresAt: oldExpiresAt })
    .where(
      and(eq(keySecrets.keyId, id), or(isNull(keySecrets.expiresAt), gt(keySecrets.expiresAt, oldExpiresAt))),
    );
  await tx.insert(keySecrets).values({ secretHash: hashSecret(secret), keyId: id });
  await keyChanged(tx, id);
  const [after] = await tx
    .update(apiKeys)
    .set({
      prefix: displayPrefix(secret),
      updatedAt: now,
      rolledAt: now,
      oldPrefix: before.prefix,
      oldExpiresAt: graceSeconds > 0 ? oldExpiresAt : null,
      oldLastUsedAt: null,
    })
    .where(eq(apiKeys.id, id))
    .returning();
  await recordAudit(tx, {
    actor: ctx.actor,
    action: "key.roll",
    customerId: ctx.customerId,
    targetType: "api_key",
    targetId: id,
    requestId: ctx.requestId,
    details: {
      old_prefix: before.prefix,
      new_prefix: after!.prefix,
      expire_old_in_seconds: graceSeconds,
      old_expires_at: oldExpiresAt.toISOString(),
    },
    changes: { prefix: { from: before.prefix, to: after!.prefix } },
  });
  const row = after!;
  return { ...toKeyDto(row), secret };
}

/** Revokes for good: every secret of the key stops working now. Revoking twice changes nothing. */
export async function revokeKey(ctx: KeyChangeContext, id: string): Promise<Key> {
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const before = await lockKey(tx, ctx.customerId, id);
    if (before.status === "revoked") return before;
    const now = new Date();
    const [after] = await tx
      .update(apiKeys)
      .set({ status: "revoked", revokedAt: now, updatedAt: now })
      .where(eq(apiKeys.id, id))
      .returning();
    await tx
      .update(keySecrets)
      .set({ expiresAt: now })
      .where(and(eq(keySecrets.keyId, id), or(isNull(keySecrets.expiresAt), gt(keySecrets.expiresAt, now))));
    await keyChanged(tx, id);
    await recordAudit(tx, {
      actor: ctx.actor,
      action: "key.revoke",
      customerId: ctx.customerId,
      targetType: "api_key",
      targetId: id,
      requestId: ctx.requestId,
      details: { name: before.name, prefix: before.prefix, status_before: before.status },
      changes: { status: { from: before.status, to: "revoked" } },
    });
    return after!;
  });
  return toKeyDto(row);
}

/** Would a request with this origin and IP pass the key? The middleware's own order and matcher. */
export async function checkKey(customerId: string, id: string, body: CheckKeyBody): Promise<KeyCheck> {
  if (body.ip !== undefined && canonicalIp(body.ip) === null) {
    throw invalidField("ip", "Not an IP address, like 203.0.113.7 or 2001:db8::1.");
  }
  const origin = body.origin ?? null;
  if (origin !== null && origin !== "null" && normalizeRequestOrigin(origin) === null) {
    throw invalidField("origin", "Use an origin as a browser sends it: scheme://host[:port].");
  }
  const key = await getKeyOrThrow(customerId, id);
  const lists = evaluateAllowlists(
    { allowedIps: key.allowed_ips, allowedOrigins: key.allowed_origins },
    { ip: body.ip, origin },
  );
  const expired = key.expires_at !== null && Date.parse(key.expires_at) <= Date.now();
  if (key.status === "revoked" || expired) {
    return {
      ...lists,
      allowed: false,
      code: "authentication_failed",
      decided_by: "key_status",
      message: key.status === "revoked" ? "The key is revoked." : "The key has expired.",
    };
  }
  if (key.status === "paused") {
    return {
      ...lists,
      allowed: false,
      code: "account_disabled",
      decided_by: "key_status",
      message: "The key is paused: resume it first.",
    };
  }
  if (lists.code === "ip_not_allowed") {
    return {
      ...lists,
      decided_by: "allowed_ips",
      message: `${lists.ip.value ?? "That IP"} is not in the key's allowed IPs.`,
    };
  }
  if (lists.code === "origin_not_allowed") {
    return {
      ...lists,
      decided_by: "allowed_origins",
      message:
        lists.origin.value === null || lists.origin.value === "null"
          ? "The key lists allowed origins, so a request without an Origin header is refused."
          : `${lists.origin.value} is not in the key's allowed origins.`,
    };
  }
  const reasons = [
    lists.ip.matched ? `${lists.ip.value} matches ${lists.ip.matched}` : null,
    lists.origin.matched ? `${lists.origin.value} matches ${lists.origin.matched}` : null,
  ].filter(Boolean);
  return {
    ...lists,
    decided_by: null,
    message: reasons.length
      ? `Allowed: ${reasons.join("; ")}.`
      : "Allowed: the key has no restriction that applies.",
  };
}
