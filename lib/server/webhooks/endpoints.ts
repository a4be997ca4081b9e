import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import type {
  CreateWebhookEndpointBody,
  UpdateWebhookEndpointBody,
  WebhookAttempt,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryList,
  WebhookDeliveryQuery,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
} from "@/lib/api/contract/webhook-endpoints.schema";
import { type AuditActor, changesOf, recordAudit } from "../audit/audit";
import { getDb, type Tx } from "../db/client";
import { customers, events, webhookAttempts, webhookDeliveries, webhookEndpoints } from "../db/schema";
import { env } from "../env";
import { DomainError } from "../errors";
import { newId } from "../ids";
import { validateEndpointUrl } from "./address";
import { insertEventSql, WEBHOOK_DUE_CHANNEL } from "./events";
import { generateWebhookSecret, SECRET_DISPLAY_LENGTH, sealSecret } from "./secret";
import { idCursor, idFromCursor } from "../cursor";

type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;
type AttemptRow = typeof webhookAttempts.$inferSelect;

/** `work` in the caller's transaction (an Idempotency-Key's, lib/server/api/idempotent.ts), else in one of its own. */
async function inTransaction<T>(tx: Tx | undefined, work: (tx: Tx) => Promise<T>): Promise<T> {
  return tx ? work(tx) : (await getDb()).transaction(work);
}

/** Endpoints a customer may hold. */
export const MAX_ENDPOINTS_PER_CUSTOMER = 20;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toEndpointDto(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as WebhookEndpoint["events"],
    enabled: row.enabled,
    secret_prefix: row.secretPrefix,
    failing_since: iso(row.failingSince),
    disabled_reason: row.disabledReason,
    disabled_at: iso(row.disabledAt),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function toDeliveryDto(row: DeliveryRow): WebhookDelivery {
  const open = row.status === "pending" || row.status === "delivering";
  return {
    id: row.id,
    endpoint_id: row.endpointId,
    event_id: row.eventId,
    event_type: row.eventType,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: open ? row.nextAttemptAt.toISOString() : null,
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    created_at: row.createdAt.toISOString(),
    completed_at: iso(row.completedAt),
  };
}

function toAttemptDto(row: AttemptRow): WebhookAttempt {
  return {
    id: row.id,
    attempt: row.attempt,
    started_at: row.startedAt.toISOString(),
    duration_ms: row.durationMs,
    status_code: row.statusCode,
    ok: row.ok,
    error: row.error,
    request: { headers: row.requestHeaders, body: row.requestBody },
    response:
      row.responseHeaders === null
        ? null
        : { headers: row.responseHeaders, body_excerpt: row.responseExcerpt ?? "" },
    next_attempt_at: iso(row.nextAttemptAt),
  };
}

const notFound = (what: string, id: string) =>
  new DomainError("not_found", { message: `No ${what} ${id}.`, details: { id } });

const allowLoopback = () => env().WEBHOOK_ALLOW_LOOPBACK;

export async function listEndpoints(
  customerId: string,
  page: { limit: number; cursor?: string },
): Promise<WebhookEndpointList> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.customerId, customerId),
        page.cursor ? lt(webhookEndpoints.id, idFromCursor(page.cursor, /^we_[0-9A-Z]{26}$/)) : undefined,
      ),
    )
    .orderBy(desc(webhookEndpoints.id))
    .limit(page.limit + 1);
  const data = rows.slice(0, page.limit).map(toEndpointDto);
  return { data, next_cursor: rows.length > page.limit && data.length ? idCursor(data.at(-1)!.id) : null };
}

/** The customer's endpoint, read in `tx` when the caller has one open (on the embedded database a read
 * outside an open transaction waits for it to end: the Idempotency-Key's transaction never would). */
async function endpointRow(customerId: string, id: string, tx?: Tx): Promise<EndpointRow> {
  const [row] = await (tx ?? (await getDb()))
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.customerId, customerId)));
  if (!row) throw notFound("webhook endpoint", id);
  return row;
}

export async function getEndpoint(customerId: string, id: string): Promise<WebhookEndpoint> {
  return toEndpointDto(await endpointRow(customerId, id));
}

/** Who changes an endpoint, for whom, in which request: what the audit trail records. */
export type EndpointChangeContext = { customerId: string; actor: AuditActor; requestId: string | null };

/** An endpoint's settings, as the audit's before → after compares them (never its secret). */
function auditedEndpoint(row: EndpointRow) {
  return {
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    secret_prefix: row.secretPrefix,
  };
}

async function auditEndpoint(
  tx: Tx,
  ctx: EndpointChangeContext,
  action: string,
  before: EndpointRow | null,
  after: EndpointRow | null,
) {
  const changes = changesOf(before && auditedEndpoint(before), after && auditedEndpoint(after));
  if (!Object.keys(changes).length) return;
  await recordAudit(tx, {
    actor: ctx.actor,
    action,
    customerId: ctx.customerId,
    targetType: "webhook_endpoint",
    targetId: (after ?? before)!.id,
    requestId: ctx.requestId,
    details: { url: (after ?? before)!.url },
    changes,
  });
}

/** The customer's endpoint, locked for a change; another customer's is not_found. */
async function lockEndpoint(tx: Tx, customerId: string, id: string): Promise<EndpointRow> {
  const [row] = await tx
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.customerId, customerId)))
    .for("update");
  if (!row) throw notFound("webhook endpoint", id);
  return row;
}

export async function createEndpoint(
  ctx: EndpointChangeContext,
  input: CreateWebhookEndpointBody,
  outer?: Tx,
): Promise<WebhookEndpointWithSecret> {
  const { customerId } = ctx;
  const url = validateEndpointUrl(input.url, allowLoopback());
  const id = newId("we");
  const secret = generateWebhookSecret();
  const row = await inTransaction(outer, async (tx) => {
    // The customer's row lock first (the order every path takes: it also covers the insert's foreign-key
    // lock), then the count: two concurrent creates cannot both pass the limit.
    await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customerId)).for("update");
    const [held] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.customerId, customerId));
    if ((held?.n ?? 0) >= MAX_ENDPOINTS_PER_CUSTOMER)
      throw new DomainError("invalid_state", {
        message: `A customer may have at most ${MAX_ENDPOINTS_PER_CUSTOMER} webhook endpoints; delete one first.`,
        details: { reason: "endpoint_limit", limit: MAX_ENDPOINTS_PER_CUSTOMER },
      });
    const inserted = await tx
      .insert(webhookEndpoints)
      .values({
        id,
        customerId,
        url,
        description: input.description ?? "",
        events: [...new Set(input.events)],
        enabled: input.enabled ?? true,
        secretSealed: sealSecret(id, secret),
        secretPrefix: secret.slice(0, SECRET_DISPLAY_LENGTH),
      })
      .returning();
    await auditEndpoint(tx, ctx, "webhook_endpoint.create", null, inserted[0]!);
    return inserted[0]!;
  });
  return { ...toEndpointDto(row), secret };
}

export async function updateEndpoint(
  ctx: EndpointChangeContext,
  id: string,
  input: UpdateWebhookEndpointBody,
): Promise<WebhookEndpoint> {
  const url = input.url === undefined ? undefined : validateEndpointUrl(input.url, allowLoopback());
  const db = await getDb();
  return db.transaction(async (tx) => {
    const before = await lockEndpoint(tx, ctx.customerId, id);
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        ...(url !== undefined && { url }),
        ...(input.events !== undefined && { events: [...new Set(input.events)] }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.enabled !== undefined && { enabled: input.enabled }),
        // Turned on again by the customer: the platform's reason and the failure streak are forgotten.
        ...(input.enabled === true && { disabledReason: null, disabledAt: null, failingSince: null }),
        updatedAt: sql`now()`,
      })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await auditEndpoint(tx, ctx, "webhook_endpoint.update", before, row!);
    return toEndpointDto(row!);
  });
}

/** Deletes the endpoint and its delivery log (pending deliveries are never sent). */
export async function deleteEndpoint(ctx: EndpointChangeContext, id: string): Promise<WebhookEndpoint> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.customerId, ctx.customerId)))
      .returning();
    if (!row) throw notFound("webhook endpoint", id);
    await auditEndpoint(tx, ctx, "webhook_endpoint.delete", row, null);
    return toEndpointDto(row);
  });
}

/** A new signing secret, at once: deliveries from now on are signed with it. Shown once, here. */
export async function rollEndpointSecret(
  ctx: EndpointChangeContext,
  id: string,
  outer?: Tx,
): Promise<WebhookEndpointWithSecret> {
  const secret = generateWebhookSecret();
  const row = await inTransaction(outer, async (tx) => {
    const before = await lockEndpoint(tx, ctx.customerId, id);
    const [after] = await tx
      .update(webhookEndpoints)
      .set({
        secretSealed: sealSecret(id, secret),
        secretPrefix: secret.slice(0, SECRET_DISPLAY_LENGTH),
        updatedAt: sql`now()`,
      })
      .where(eq(webhookEndpoints.id, id))
      .returning();
    await auditEndpoint(tx, ctx, "webhook_endpoint.roll_secret", before, after!);
    return after!;
  });
  return { ...toEndpointDto(row), secret };
}

/**
 * "Send test event": a `webhook.test` event and one delivery of it to this endpoint only (whatever it
 * subscribes to, enabled or not), due now. The event is marked dispatched: no other endpoint gets it.
 */
export async function sendTestEvent(customerId: string, id: string, outer?: Tx): Promise<WebhookDelivery> {
  const eventId = newId("evt");
  const delivery = await inTransaction(outer, async (tx) => {
    const endpoint = await endpointRow(customerId, id, tx);
    await tx.execute(
      insertEventSql(eventId, {
        customerId,
        type: "webhook.test",
        data: { endpoint_id: endpoint.id, message: "A test event sent from the console." },
      }),
    );
    await tx
      .update(events)
      .set({ dispatchedAt: sql`now()` })
      .where(eq(events.id, eventId));
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({
        id: newId("msg"),
        customerId,
        endpointId: endpoint.id,
        eventId,
        eventType: "webhook.test",
      })
      .returning();
    return row!;
  });
  return toDeliveryDto(delivery);
}

export async function listDeliveries(
  customerId: string,
  query: WebhookDeliveryQuery & { endpoint_id?: string },
): Promise<WebhookDeliveryList> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.customerId, customerId),
        query.endpoint_id ? eq(webhookDeliveries.endpointId, query.endpoint_id) : undefined,
        query.status ? eq(webhookDeliveries.status, query.status) : undefined,
        query.event_type ? eq(webhookDeliveries.eventType, query.event_type) : undefined,
        query.event_id ? eq(webhookDeliveries.eventId, query.event_id) : undefined,
        query.cursor ? lt(webhookDeliveries.id, idFromCursor(query.cursor, /^msg_[0-9A-Z]{26}$/)) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  const data = rows.slice(0, query.limit).map(toDeliveryDto);
  return { data, next_cursor: rows.length > query.limit && data.length ? idCursor(data.at(-1)!.id) : null };
}

export async function getDelivery(customerId: string, id: string): Promise<WebhookDeliveryDetail> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.customerId, customerId)));
  if (!row) throw notFound("webhook delivery", id);
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, id))
    .orderBy(asc(webhookAttempts.attempt));
  return { ...toDeliveryDto(row), attempts_log: attempts.map(toAttemptDto) };
}

/**
 * Resend: a new delivery of the same event to the same endpoint, due now. The event (its id, type,
 * time and data) is the one first sent: a receiver that deduplicates on `webhook-id` sees a repeat.
 */
export async function resendDelivery(customerId: string, id: string, outer?: Tx): Promise<WebhookDelivery> {
  const row = await inTransaction(outer, async (tx) => {
    // In the transaction: the caller's Idempotency-Key one may be open (see endpointRow).
    const [original] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.customerId, customerId)));
    if (!original) throw notFound("webhook delivery", id);
    const [inserted] = await tx
      .insert(webhookDeliveries)
      .values({
        id: newId("msg"),
        customerId,
        endpointId: original.endpointId,
        eventId: original.eventId,
        eventType: original.eventType,
      })
      .returning();
    await tx.execute(sql`select pg_notify(${WEBHOOK_DUE_CHANNEL}, ${inserted!.id})`);
    return inserted!;
  });
  return toDeliveryDto(row);
}
