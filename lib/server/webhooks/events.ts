import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "../db/client";
import { env } from "../env";
import { newId } from "../ids";
import { type JobRow, toJobDto } from "../jobs/dto";

/** The Postgres channel every recorded event is announced on (the delivery worker and the live stream listen). */
export const EVENTS_CHANNEL = "genmedia_events";

/** Announced when a delivery became due without a new event (a resend). */
export const WEBHOOK_DUE_CHANNEL = "genmedia_webhook_due";

export type EventType =
  | "job.succeeded"
  | "job.failed"
  | "job.canceled"
  | "top_up.succeeded"
  | "balance.low"
  | "spend.alert"
  | "webhook.test";

export type NewEvent = {
  customerId: string;
  type: EventType;
  data: Record<string, unknown>;
  jobId?: string | null;
};

/** What the channel carries: enough to route it; readers load the row by id. */
export type EventNotice = { id: string; customer_id: string; type: string };

/**
 * The outbox row and its NOTIFY as one statement inside the caller's transaction: a rolled-back change
 * leaves no event and no notice (Postgres delivers a NOTIFY only at commit).
 */
export function insertEventSql(id: string, event: NewEvent): SQL {
  return sql`with ins as (
      insert into events (id, customer_id, type, data, job_id)
      values (${id}, ${event.customerId}, ${event.type}, ${JSON.stringify(event.data)}::jsonb, ${event.jobId ?? null})
      returning id, customer_id, type
    )
    select pg_notify(${EVENTS_CHANNEL}, json_build_object('id', ins.id, 'customer_id', ins.customer_id, 'type', ins.type)::text) from ins`;
}

export async function recordEvent(tx: Tx, event: NewEvent): Promise<string> {
  const id = newId("evt");
  await tx.execute(insertEventSql(id, event));
  return id;
}

/** The origin events put in URLs (a job's output): APP_URL, else the local development server. */
export function eventOrigin(): string {
  const configured = env().APP_URL;
  return configured ? new URL(configured).origin : `http://localhost:${process.env.PORT ?? 3000}`;
}

const JOB_EVENT: Partial<Record<JobRow["status"], EventType>> = {
  succeeded: "job.succeeded",
  failed: "job.failed",
  canceled: "job.canceled",
};

/** job.succeeded / job.failed / job.canceled for a job that just reached that status, in its transaction. */
export async function recordJobEvent(tx: Tx, row: JobRow): Promise<void> {
  const type = JOB_EVENT[row.status];
  if (!type) return;
  await recordEvent(tx, {
    customerId: row.customerId,
    type,
    jobId: row.id,
    data: toJobDto(row, eventOrigin()) as unknown as Record<string, unknown>,
  });
}
