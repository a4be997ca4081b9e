import { eq } from "drizzle-orm";
import type { Key, StartShadowBody } from "@/lib/api/contract/keys.schema";
import { changesOf, recordAudit } from "../audit/audit";
import type { Tx } from "../db/client";
import { apiKeys } from "../db/schema";
import { DomainError } from "../errors";
import { keyChanged } from "./auth-cache";
import { type KeyChangeContext, lockKey, revokedState, toKeyDto } from "./keys";
import { normaliseAllowlists } from "./validate";

type KeyRow = typeof apiKeys.$inferSelect;

const NO_SHADOW = {
  shadowAllowedOrigins: null,
  shadowAllowedIps: null,
  shadowStartedAt: null,
  shadowEndsAt: null,
  shadowWouldRefuse: 0,
};

function noShadow(): DomainError {
  return new DomainError("invalid_state", {
    message: "This key has no allowlist in shadow: save one as shadow first.",
    details: { reason: "no_shadow", allowed_from: ["shadow"] },
  });
}

/** What the audit trail records of a shadow: its lists, its period and what it flagged. */
function shadowDetails(row: KeyRow) {
  return {
    prefix: row.prefix,
    shadow_allowed_origins: row.shadowAllowedOrigins,
    shadow_allowed_ips: row.shadowAllowedIps,
    started_at: row.shadowStartedAt?.toISOString() ?? null,
    ends_at: row.shadowEndsAt?.toISOString() ?? null,
    would_refuse: row.shadowWouldRefuse,
  };
}

/** The shadow's lists and end, as the audit's before → after compares them (null: no shadow). */
function shadowLists(row: KeyRow) {
  return {
    shadow_allowed_origins: row.shadowAllowedOrigins,
    shadow_allowed_ips: row.shadowAllowedIps,
    shadow_ends_at: row.shadowEndsAt?.toISOString() ?? null,
  };
}

async function lockLiveKey(tx: Tx, ctx: KeyChangeContext, id: string): Promise<KeyRow> {
  const row = await lockKey(tx, ctx.customerId, id);
  if (row.status === "revoked") throw revokedState();
  return row;
}

async function save(tx: Tx, id: string, set: Partial<KeyRow>): Promise<KeyRow> {
  const [after] = await tx
    .update(apiKeys)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(apiKeys.id, id))
    .returning();
  await keyChanged(tx, id);
  return after!;
}

/**
 * Saves candidate lists as the key's shadow for `duration_seconds` (replacing any shadow it had): until
 * then every request is still judged by the enforced lists, and each one the shadow lists would refuse
 * is logged as would_refuse. Audited as key.shadow.start.
 */
export async function startShadow(
  tx: Tx,
  ctx: KeyChangeContext,
  id: string,
  input: StartShadowBody,
): Promise<Key> {
  const lists = normaliseAllowlists(input);
  const before = await lockLiveKey(tx, ctx, id);
  const now = new Date();
  const after = await save(tx, id, {
    shadowAllowedOrigins: lists.allowedOrigins ?? [],
    shadowAllowedIps: lists.allowedIps ?? [],
    shadowStartedAt: now,
    shadowEndsAt: new Date(now.getTime() + input.duration_seconds * 1000),
    shadowWouldRefuse: 0,
  });
  await recordAudit(tx, {
    actor: ctx.actor,
    action: "key.shadow.start",
    customerId: ctx.customerId,
    targetType: "api_key",
    targetId: id,
    requestId: ctx.requestId,
    details: {
      ...shadowDetails(after),
      allowed_origins: before.allowedOrigins,
      allowed_ips: before.allowedIps,
      replaced: before.shadowStartedAt ? shadowDetails(before) : null,
    },
    changes: changesOf(shadowLists(before), shadowLists(after)),
  });
  return toKeyDto(after);
}

/** Enforce: the shadow lists become the key's lists, and the shadow ends. Audited as key.shadow.enforce. */
export async function enforceShadow(tx: Tx, ctx: KeyChangeContext, id: string): Promise<Key> {
  const before = await lockLiveKey(tx, ctx, id);
  if (!before.shadowStartedAt || !before.shadowAllowedIps || !before.shadowAllowedOrigins) throw noShadow();
  const after = await save(tx, id, {
    allowedOrigins: before.shadowAllowedOrigins,
    allowedIps: before.shadowAllowedIps,
    ...NO_SHADOW,
  });
  await recordAudit(tx, {
    actor: ctx.actor,
    action: "key.shadow.enforce",
    customerId: ctx.customerId,
    targetType: "api_key",
    targetId: id,
    requestId: ctx.requestId,
    details: shadowDetails(before),
    changes: changesOf(
      { allowed_origins: before.allowedOrigins, allowed_ips: before.allowedIps, ...shadowLists(before) },
      { allowed_origins: after.allowedOrigins, allowed_ips: after.allowedIps, ...shadowLists(after) },
    ),
  });
  return toKeyDto(after);
}

/** Discard: the shadow ends, the enforced lists stay as they are. Audited as key.shadow.discard. */
export async function discardShadow(tx: Tx, ctx: KeyChangeContext, id: string): Promise<Key> {
  const before = await lockLiveKey(tx, ctx, id);
  if (!before.shadowStartedAt) throw noShadow();
  const after = await save(tx, id, NO_SHADOW);
  await recordAudit(tx, {
    actor: ctx.actor,
    action: "key.shadow.discard",
    customerId: ctx.customerId,
    targetType: "api_key",
    targetId: id,
    requestId: ctx.requestId,
    details: shadowDetails(before),
    changes: changesOf(shadowLists(before), shadowLists(after)),
  });
  return toKeyDto(after);
}
