import { and, desc, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import { encodeTime } from "ulid";
import type { SupportWebhookDelivery, SupportWebhookEndpoint } from "@/lib/api/contract/support.schema";
import { getDb } from "../db/client";
import { events, jobs, webhookAttempts, webhookDeliveries, webhookEndpoints } from "../db/schema";
import { toDeliveryDto, toEndpointDto } from "../webhooks/endpoints";

// What support sees of a customer's webhooks: a job's deliveries (the request story), the customer's
// latest deliveries and the health of each endpoint (the customer panel). Read-only; the routes that
// return them are the audited support reads.

/** A job's deliveries shown at most (a job has one event per end it reached, one delivery per endpoint). */
export const JOB_DELIVERIES_LIMIT = 50;
export const RECENT_DELIVERIES_LIMIT = 10;
/** Failed attempts counted at most per endpoint: past this, "1000+" tells the story as well. */
export const FAILURES_COUNTED = 1_000;
/** A delivery is retried for ~24 h after it is made: an attempt in a failure streak belongs to a
 * delivery made at most this long before the streak began. */
const DELIVERY_LIFETIME_MS = 48 * 3_600_000;

async function deliveries(where: SQL, limit: number): Promise<SupportWebhookDelivery[]> {
  const db = await getDb();
  const rows = await db
    .select({
      delivery: webhookDeliveries,
      endpointUrl: webhookEndpoints.url,
      jobId: events.jobId,
      jobRequestId: jobs.requestId,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .leftJoin(jobs, eq(jobs.id, events.jobId))
    .where(where)
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit);
  if (!rows.length) return [];
  // Each delivery's latest attempt: its last answer (status, how long it took) or why none came.
  const attempts = await db
    .selectDistinctOn([webhookAttempts.deliveryId], {
      deliveryId: webhookAttempts.deliveryId,
      startedAt: webhookAttempts.startedAt,
      durationMs: webhookAttempts.durationMs,
      statusCode: webhookAttempts.statusCode,
      ok: webhookAttempts.ok,
      error: webhookAttempts.error,
    })
    .from(webhookAttempts)
    .where(
      inArray(
        webhookAttempts.deliveryId,
        rows.map((r) => r.delivery.id),
      ),
    )
    .orderBy(webhookAttempts.deliveryId, desc(webhookAttempts.attempt));
  const last = new Map(attempts.map((a) => [a.deliveryId, a]));
  return rows.map((r) => {
    const attempt = last.get(r.delivery.id);
    return {
      ...toDeliveryDto(r.delivery),
      endpoint_url: r.endpointUrl,
      job_id: r.jobId,
      job_request_id: r.jobRequestId,
      last_attempt: attempt
        ? {
            started_at: attempt.startedAt.toISOString(),
            duration_ms: attempt.durationMs,
            status_code: attempt.statusCode,
            ok: attempt.ok,
            error: attempt.error,
          }
        : null,
    };
  });
}

/** Every delivery of the job's events (job.succeeded, job.failed, job.canceled; resends too), newest first. */
export async function jobWebhookDeliveries(customerId: string, jobId: string) {
  const db = await getDb();
  const eventIds = db
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.jobId, jobId), eq(events.customerId, customerId)));
  return deliveries(
    and(eq(webhookDeliveries.customerId, customerId), inArray(webhookDeliveries.eventId, eventIds))!,
    JOB_DELIVERIES_LIMIT,
  );
}

/** The customer's latest deliveries, newest first. */
export async function recentWebhookDeliveries(customerId: string) {
  return deliveries(eq(webhookDeliveries.customerId, customerId), RECENT_DELIVERIES_LIMIT);
}

/** Each endpoint with its failure streak: the failed attempts since its last success (`failing_since`). */
export async function webhookEndpointHealth(customerId: string): Promise<SupportWebhookEndpoint[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.customerId, customerId))
    .orderBy(desc(webhookEndpoints.id))
    .limit(100);
  return Promise.all(
    rows.map(async (row) => ({
      ...toEndpointDto(row),
      consecutive_failures: row.failingSince ? await failuresSince(row.id, row.failingSince) : 0,
    })),
  );
}

async function failuresSince(endpointId: string, since: Date): Promise<number> {
  const db = await getDb();
  const oldest = `msg_${encodeTime(Math.max(0, since.getTime() - DELIVERY_LIFETIME_MS), 10)}${"0".repeat(16)}`;
  const streak = db
    .select({ one: sql<number>`1`.as("one") })
    .from(webhookAttempts)
    .innerJoin(webhookDeliveries, eq(webhookDeliveries.id, webhookAttempts.deliveryId))
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        gte(webhookDeliveries.id, oldest),
        gte(webhookAttempts.startedAt, since),
        eq(webhookAttempts.ok, false),
      ),
    )
    .limit(FAILURES_COUNTED)
    .as("streak");
  const [counted] = await db.select({ n: sql<number>`count(*)::int` }).from(streak);
  return counted?.n ?? 0;
}
