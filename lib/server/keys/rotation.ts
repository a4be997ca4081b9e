import { and, eq, gt, gte, ne, sql } from "drizzle-orm";
import {
  type Key,
  OLD_SECRET_CLIENTS_TOP,
  type SecretTraffic,
  type SecretTrafficQuery,
} from "@/lib/api/contract/keys.schema";
import { recordAudit } from "../audit/audit";
import { getDb, type Tx } from "../db/client";
import { apiKeys, keySecrets, requestLog } from "../db/schema";
import { DomainError } from "../errors";
import { flushRequestLog } from "../request-log/writer";
import { keyChanged } from "./auth-cache";
import { type KeyChangeContext, lockKey, notFoundKey, revokedState, rotationOf, toKeyDto } from "./keys";

const HOUR_MS = 3600 * 1000;
const MAX_WINDOW_MS = 7 * 24 * HOUR_MS;
/** Bucket sizes a chart may use; the smallest that keeps it within MAX_BUCKETS bars. */
const BUCKET_SECONDS = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600];
const MAX_BUCKETS = 60;

/**
 * The window the assistant reads: from an hour before the roll (the old secret's last traffic as the
 * current one) — and at least the quiet window, so "no traffic for quiet_seconds" is a claim about
 * logged requests — up to now, never more than 7 days.
 */
export function trafficWindow(rolledAt: Date | null, quietSeconds: number, now: Date) {
  const since = Math.min(
    (rolledAt ?? now).getTime() - HOUR_MS,
    now.getTime() - quietSeconds * 1000,
    now.getTime() - HOUR_MS,
  );
  const from = new Date(Math.max(since, now.getTime() - MAX_WINDOW_MS));
  const span = (now.getTime() - from.getTime()) / 1000;
  const bucket = BUCKET_SECONDS.find((b) => span / b <= MAX_BUCKETS) ?? BUCKET_SECONDS.at(-1)!;
  return { from, to: now, bucket };
}

/**
 * GET /keys/{id}/secret-traffic: the key's logged requests per secret (the prefix each one was
 * authenticated with), over time; who still sends an old secret; and whether the old secret is safe to
 * expire (in its grace, no request with it for quiet_seconds). Another customer's key is not_found.
 */
export async function secretTraffic(
  customerId: string,
  keyId: string,
  query: SecretTrafficQuery,
  now = new Date(),
): Promise<SecretTraffic> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.customerId, customerId)));
  if (!row) throw notFoundKey(keyId);
  await flushRequestLog();
  const { from, to, bucket } = trafficWindow(row.rolledAt, query.quiet_seconds, now);
  const inWindow = and(eq(requestLog.keyId, keyId), gte(requestLog.at, from));
  const bucketStart = sql<number>`floor(extract(epoch from ${requestLog.at}) / ${bucket}::int)`.mapWith(
    Number,
  );
  const [buckets, clients] = await Promise.all([
    db
      .select({
        bucket: bucketStart,
        prefix: requestLog.keyPrefix,
        requests: sql<number>`count(*)`.mapWith(Number),
        lastAt: sql<Date>`max(${requestLog.at})`.mapWith((v: string | Date) => new Date(v)),
      })
      .from(requestLog)
      .where(and(inWindow, sql`${requestLog.keyPrefix} is not null`))
      .groupBy(sql`1`, requestLog.keyPrefix)
      .orderBy(sql`1`, requestLog.keyPrefix),
    db
      .select({
        ip: requestLog.ip,
        origin: requestLog.origin,
        prefix: sql<string>`${requestLog.keyPrefix}`,
        requests: sql<number>`count(*)`.mapWith(Number),
        lastAt: sql<Date>`max(${requestLog.at})`.mapWith((v: string | Date) => new Date(v)),
      })
      .from(requestLog)
      .where(and(inWindow, ne(requestLog.keyPrefix, row.prefix)))
      .groupBy(requestLog.ip, requestLog.origin, requestLog.keyPrefix)
      .orderBy(sql`count(*) desc`, sql`max(${requestLog.at}) desc`)
      .limit(OLD_SECRET_CLIENTS_TOP),
  ]);

  const perSecret = new Map<string, { requests: number; lastAt: Date }>();
  for (const b of buckets) {
    const seen = perSecret.get(b.prefix!);
    if (!seen) perSecret.set(b.prefix!, { requests: b.requests, lastAt: b.lastAt });
    else {
      seen.requests += b.requests;
      if (b.lastAt > seen.lastAt) seen.lastAt = b.lastAt;
    }
  }
  let oldLastSeen: Date | null = null;
  for (const [prefix, s] of perSecret) {
    if (prefix !== row.prefix && (!oldLastSeen || s.lastAt > oldLastSeen)) oldLastSeen = s.lastAt;
  }
  const rotation = rotationOf(row, now);
  const quietSince = now.getTime() - query.quiet_seconds * 1000;
  return {
    key_id: row.id,
    current_prefix: row.prefix,
    rotation,
    from: from.toISOString(),
    to: to.toISOString(),
    bucket_seconds: bucket,
    buckets: buckets.map((b) => ({
      start: new Date(b.bucket * bucket * 1000).toISOString(),
      prefix: b.prefix!,
      requests: b.requests,
    })),
    secrets: [...perSecret.entries()]
      .map(([prefix, s]) => ({
        prefix,
        current: prefix === row.prefix,
        requests: s.requests,
        last_seen_at: s.lastAt.toISOString(),
      }))
      .sort((a, b) => Number(b.current) - Number(a.current) || b.last_seen_at.localeCompare(a.last_seen_at)),
    old_secret_clients: clients.map((c) => ({
      ip: c.ip,
      origin: c.origin,
      prefix: c.prefix,
      requests: c.requests,
      last_seen_at: c.lastAt.toISOString(),
    })),
    quiet_seconds: query.quiet_seconds,
    old_last_seen_at: oldLastSeen?.toISOString() ?? null,
    safe_to_expire: rotation !== null && (oldLastSeen === null || oldLastSeen.getTime() < quietSince),
  };
}

/**
 * POST /keys/{id}/expire-old-secret: ends a roll's grace now — every secret of the key but the current
 * one stops working (then authentication_failed). Audited as key.expire_old_secret. Without a grace in
 * progress: invalid_state, details.reason no_grace.
 */
export async function expireOldSecret(tx: Tx, ctx: KeyChangeContext, id: string): Promise<Key> {
  const before = await lockKey(tx, ctx.customerId, id);
  if (before.status === "revoked") throw revokedState();
  const now = new Date();
  const rotation = rotationOf(before, now);
  if (!rotation) {
    throw new DomainError("invalid_state", {
      message: "This key has no old secret that still works: there is nothing to expire.",
      details: { reason: "no_grace", allowed_from: ["grace"] },
    });
  }
  const expired = await tx
    .update(keySecrets)
    .set({ expiresAt: now })
    .where(and(eq(keySecrets.keyId, id), gt(keySecrets.expiresAt, now)))
    .returning({ hash: keySecrets.secretHash });
  const [after] = await tx
    .update(apiKeys)
    .set({ oldExpiresAt: now, updatedAt: now })
    .where(eq(apiKeys.id, id))
    .returning();
  await keyChanged(tx, id);
  await recordAudit(tx, {
    actor: ctx.actor,
    action: "key.expire_old_secret",
    customerId: ctx.customerId,
    targetType: "api_key",
    targetId: id,
    requestId: ctx.requestId,
    details: {
      prefix: before.prefix,
      old_prefix: rotation.old_prefix,
      rolled_at: rotation.rolled_at,
      old_expires_at_before: rotation.old_expires_at,
      old_last_used_at: rotation.old_last_used_at,
      secrets_expired: expired.length,
    },
    changes: { old_expires_at: { from: rotation.old_expires_at, to: now.toISOString() } },
  });
  return toKeyDto(after!);
}
