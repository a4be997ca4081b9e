import { and, eq, or } from "drizzle-orm";
import type { TopUp } from "@/lib/api/contract/billing.schema";
import { type AuditActor, type AuditChanges, recordAudit } from "../audit/audit";
import { getDb, type Tx } from "../db/client";
import { topUpPacks, topUps } from "../db/schema";
import { DomainError } from "../errors";
import { newId } from "../ids";
import { credit } from "./ledger";
import { checkoutGateway, paymentProviderError } from "./stripe";
import { recordEvent } from "../webhooks/events";

type TopUpRow = typeof topUps.$inferSelect;

/** top_up.succeeded, in the transaction that credited it. */
export async function recordTopUpSucceeded(tx: Tx, row: TopUpRow): Promise<void> {
  await recordEvent(tx, {
    customerId: row.customerId,
    type: "top_up.succeeded",
    data: toTopUpDto(row) as unknown as Record<string, unknown>,
  });
}

export function toTopUpDto(row: TopUpRow): TopUp {
  return {
    id: row.id,
    pack: row.packId,
    credits: row.credits,
    price_cents: row.priceCents,
    currency: row.currency,
    status: row.status,
    provider: row.provider,
    checkout_url: row.status === "pending" ? row.checkoutUrl : null,
    trigger: row.trigger,
    job_id: row.jobId,
    failure_reason: row.failureReason,
    created_at: row.createdAt.toISOString(),
    completed_at: row.completedAt?.toISOString() ?? null,
  };
}

/**
 * Buys a pack, inside the caller's transaction (the Idempotency-Key claim's). Test mode (no payment
 * provider): the top-up succeeds and is credited at once. Stripe: a pending top-up and a Checkout
 * Session; the credit waits for the signed webhook.
 */
export async function createTopUp(
  tx: Tx,
  input: {
    customerId: string;
    packId: string;
    appOrigin: string;
    requestId: string | null;
    actor: AuditActor;
  },
): Promise<TopUp> {
  const [pack] = await tx
    .select()
    .from(topUpPacks)
    .where(and(eq(topUpPacks.id, input.packId), eq(topUpPacks.active, true)));
  if (!pack) {
    throw new DomainError("invalid_pack", {
      message: `There is no top-up pack "${input.packId}".`,
      details: { fields: [{ path: "pack", message: "Unknown top-up pack" }] },
    });
  }
  const id = newId("top");
  const gateway = checkoutGateway();
  const base = {
    id,
    customerId: input.customerId,
    packId: pack.id,
    credits: pack.credits,
    priceCents: pack.priceCents,
    currency: pack.currency,
  };

  if (!gateway) {
    // The credit first: it takes the customer's row lock before the top-up's insert takes a key-share
    // lock on that row for its foreign key. The other way round (key-share, then update, in one
    // transaction) meets a concurrent charge's update in a multixact, and Postgres 15 aborted one in
    // 18,308 requests of the mixed load with "new multixact has more than one updating member".
    const entry = await credit(tx, input.customerId, pack.credits, "top_up", {
      topUpId: id,
      requestId: input.requestId,
      note: `${pack.name} pack (test mode)`,
      trigger: "manual",
    });
    const [row] = await tx
      .insert(topUps)
      .values({ ...base, status: "succeeded", provider: "test", completedAt: new Date() })
      .returning();
    await recordTopUpSucceeded(tx, row!);
    await auditTopUp(tx, input, row!, {
      balance: { from: entry.balanceAfter - entry.credits, to: entry.balanceAfter },
    });
    return toTopUpDto(row!);
  }

  // The network call runs inside the claim's transaction: a concurrent request with the same key waits
  // for it, and a provider failure rolls everything back (nothing stored, a retry runs for real).
  let session;
  try {
    session = await gateway.createCheckoutSession({
      topUpId: id,
      customerId: input.customerId,
      description: `${pack.name} pack: ${pack.credits.toLocaleString("en-US")} credits`,
      priceCents: pack.priceCents,
      currency: pack.currency,
      successUrl: `${input.appOrigin}/billing/top-ups/${id}?checkout=success`,
      cancelUrl: `${input.appOrigin}/billing/top-ups/${id}?checkout=canceled`,
    });
  } catch (error) {
    throw paymentProviderError(error);
  }
  const [row] = await tx
    .insert(topUps)
    .values({
      ...base,
      status: "pending",
      provider: "stripe",
      checkoutSessionId: session.id,
      checkoutUrl: session.url,
    })
    .returning();
  await auditTopUp(tx, input, row!, {});
  return toTopUpDto(row!);
}

/** top_up.create: who bought which pack (and the balance it moved, when credited at once). */
async function auditTopUp(
  tx: Tx,
  input: { customerId: string; requestId: string | null; actor: AuditActor },
  row: TopUpRow,
  changes: AuditChanges,
) {
  await recordAudit(tx, {
    actor: input.actor,
    action: "top_up.create",
    customerId: input.customerId,
    targetType: "top_up",
    targetId: row.id,
    requestId: input.requestId,
    details: {
      pack: row.packId,
      credits: row.credits,
      price_cents: row.priceCents,
      currency: row.currency,
      status: row.status,
      provider: row.provider,
    },
    changes,
  });
}

export async function getTopUp(customerId: string, id: string): Promise<TopUp> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(topUps)
    .where(and(eq(topUps.id, id), eq(topUps.customerId, customerId)));
  if (!row) throw new DomainError("not_found", { message: `No top-up ${id}.` });
  return toTopUpDto(row);
}

/** The pending top-up a Checkout Session belongs to (by session id, or our id in its metadata). */
function sessionMatch(session: Record<string, unknown>) {
  const sessionId = typeof session.id === "string" ? session.id : "";
  const metadata = (session.metadata ?? {}) as Record<string, unknown>;
  const topUpId = typeof metadata.top_up_id === "string" ? metadata.top_up_id : "";
  return and(
    eq(topUps.provider, "stripe"),
    eq(topUps.status, "pending"),
    topUpId
      ? or(eq(topUps.checkoutSessionId, sessionId), eq(topUps.id, topUpId))
      : eq(topUps.checkoutSessionId, sessionId),
  );
}

/** A paid Checkout Session: credits its pending top-up once. Returns the top-up credited, or null. */
export async function settleCheckoutSession(
  tx: Tx,
  session: Record<string, unknown>,
): Promise<string | null> {
  const [pending] = await tx.select().from(topUps).where(sessionMatch(session));
  if (!pending) return null; // unknown, or already settled by an earlier event
  if (session.amount_total !== pending.priceCents || session.currency !== pending.currency) {
    console.error(
      JSON.stringify({
        level: "error",
        msg: "stripe session amount does not match its top-up; not credited",
        top_up_id: pending.id,
        session_id: session.id,
      }),
    );
    return null;
  }
  const [row] = await tx
    .update(topUps)
    .set({ status: "succeeded", completedAt: new Date() })
    .where(and(eq(topUps.id, pending.id), eq(topUps.status, "pending")))
    .returning();
  if (!row) return null; // a concurrent event settled it first
  const [pack] = await tx
    .select({ name: topUpPacks.name })
    .from(topUpPacks)
    .where(eq(topUpPacks.id, row.packId));
  await credit(tx, row.customerId, row.credits, "top_up", {
    topUpId: row.id,
    note: `${pack?.name ?? row.packId} pack (Stripe Checkout)`,
    trigger: "manual",
  });
  await recordTopUpSucceeded(tx, row);
  return row.id;
}

/** A Checkout Session that ended unpaid: its pending top-up becomes `failed` or `canceled`. */
export async function closeCheckoutSession(
  tx: Tx,
  session: Record<string, unknown>,
  status: "failed" | "canceled",
) {
  const [pending] = await tx.select({ id: topUps.id }).from(topUps).where(sessionMatch(session));
  if (!pending) return;
  await tx
    .update(topUps)
    .set({ status, completedAt: new Date() })
    .where(and(eq(topUps.id, pending.id), eq(topUps.status, "pending")));
}
