import { and, eq, inArray } from "drizzle-orm";
import type { Key } from "@/lib/api/contract/keys.schema";
import type { CustomerPauseResult, SupportProduct } from "@/lib/api/contract/support.schema";
import { type AuditActor, recordAudit } from "../audit/audit";
import type { Tx } from "../db/client";
import { apiKeys, customers, products, sessions, users } from "../db/schema";
import { DomainError } from "../errors";
import { customerChanged, keyChanged } from "../keys/auth-cache";
import { toKeyDto } from "../keys/keys";
import { forgetProducts, toProductDto } from "../products/products";
import { customerNotFound } from "./customer-summary";

/** Who acts, why, in which request: every staff action is audited in the same transaction as the change. */
export type StaffAction = { actor: AuditActor; reason: string; requestId: string | null };

type Paused = "active" | "paused";

function wrongState(what: string, status: string, allowedFrom: Paused): DomainError {
  return new DomainError("invalid_state", {
    message: `This ${what} is ${status}; only ${allowedFrom === "active" ? "an active" : "a paused"} ${what} can be ${allowedFrom === "active" ? "paused" : "unpaused"}.`,
    details: { status, allowed_from: [allowedFrom] },
  });
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The who/why/when columns customers and products share: set on pause, cleared on unpause. */
function pauseColumns(paused: boolean, action: StaffAction) {
  return paused
    ? {
        status: "paused" as const,
        pausedReason: action.reason,
        pausedBy: action.actor.email,
        pausedAt: new Date(),
      }
    : { status: "active" as const, pausedReason: null, pausedBy: null, pausedAt: null };
}

type PauseRecord = { pausedBy: string | null; pausedAt: Date | null; pausedReason: string | null };

/** What an unpause audits: the pause it ends. */
function pauseHistory(before: PauseRecord) {
  return {
    was_paused_by: before.pausedBy,
    was_paused_at: iso(before.pausedAt),
    was_paused_reason: before.pausedReason,
  };
}

/**
 * Pauses or unpauses a customer. Pausing ends its console sessions (their rows go) and its keys answer
 * account_disabled (scope customer) from the next request on: key verification's cache forgets the
 * customer's keys at the commit, here and (keys/auth-cache.ts) in every other process.
 */
export async function setCustomerPaused(
  tx: Tx,
  id: string,
  paused: boolean,
  action: StaffAction,
): Promise<CustomerPauseResult> {
  const from: Paused = paused ? "active" : "paused";
  const [before] = await tx.select().from(customers).where(eq(customers.id, id)).for("update");
  if (!before) throw customerNotFound(id);
  if (before.status !== from) throw wrongState("customer", before.status, from);
  const [after] = await tx
    .update(customers)
    .set(pauseColumns(paused, action))
    .where(eq(customers.id, id))
    .returning();
  await customerChanged(tx, id);
  let ended = 0;
  if (paused) {
    const members = tx.select({ id: users.id }).from(users).where(eq(users.customerId, id));
    const gone = await tx
      .delete(sessions)
      .where(inArray(sessions.userId, members))
      .returning({ id: sessions.id });
    ended = gone.length;
  }
  const row = after!;
  await recordAudit(tx, {
    actor: action.actor,
    action: paused ? "support.customer.pause" : "support.customer.unpause",
    customerId: id,
    targetType: "customer",
    targetId: id,
    reason: action.reason,
    requestId: action.requestId,
    details: paused ? { sessions_ended: ended } : pauseHistory(before),
    changes: { status: { from: before.status, to: row.status } },
  });
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    paused_reason: row.pausedReason,
    paused_by: row.pausedBy,
    paused_at: iso(row.pausedAt),
    sessions_ended: ended,
  };
}

/** Pauses or unpauses one key of any customer (a revoked key stays revoked: invalid_state). */
export async function setKeyPaused(tx: Tx, id: string, paused: boolean, action: StaffAction): Promise<Key> {
  const from: Paused = paused ? "active" : "paused";
  const [before] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for("update");
  if (!before) throw new DomainError("not_found", { message: `No key ${id.slice(0, 100)}.` });
  if (before.status !== from) throw wrongState("key", before.status, from);
  const [after] = await tx
    .update(apiKeys)
    .set(
      paused
        ? {
            status: "paused",
            pausedBy: action.actor.email,
            pausedReason: action.reason,
            updatedAt: new Date(),
          }
        : { status: "active", pausedBy: null, pausedReason: null, updatedAt: new Date() },
    )
    .where(and(eq(apiKeys.id, id), eq(apiKeys.status, from)))
    .returning();
  await keyChanged(tx, id);
  await recordAudit(tx, {
    actor: action.actor,
    action: paused ? "support.key.pause" : "support.key.unpause",
    customerId: before.customerId,
    targetType: "api_key",
    targetId: id,
    reason: action.reason,
    requestId: action.requestId,
    details: { prefix: before.prefix, name: before.name },
    changes: { status: { from: before.status, to: after!.status } },
  });
  return toKeyDto(after!);
}

type ProductRow = typeof products.$inferSelect;

export function toSupportProduct(row: ProductRow): SupportProduct {
  return {
    ...toProductDto(row),
    paused_reason: row.pausedReason,
    paused_by: row.pausedBy,
    paused_at: iso(row.pausedAt),
  };
}

/** Pauses or unpauses a product for everyone: new jobs for it answer product_paused while paused. */
export async function setProductPaused(
  tx: Tx,
  id: string,
  paused: boolean,
  action: StaffAction,
): Promise<SupportProduct> {
  const from: Paused = paused ? "active" : "paused";
  const [before] = await tx.select().from(products).where(eq(products.id, id)).for("update");
  if (!before) throw new DomainError("not_found", { message: `No product ${id.slice(0, 100)}.` });
  if (before.status !== from) throw wrongState("product", before.status, from);
  const [after] = await tx
    .update(products)
    .set(pauseColumns(paused, action))
    .where(eq(products.id, id))
    .returning();
  forgetProducts();
  await recordAudit(tx, {
    actor: action.actor,
    action: paused ? "support.product.pause" : "support.product.unpause",
    targetType: "product",
    targetId: id,
    reason: action.reason,
    requestId: action.requestId,
    details: paused ? {} : pauseHistory(before),
    changes: { status: { from: before.status, to: after!.status } },
  });
  return toSupportProduct(after!);
}
