import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { customers } from "./customers";

/**
 * The outbox: one row per thing that happened to a customer, written in the same transaction as the
 * state change itself (a rolled-back change leaves no event). `dispatched_at` is null until the
 * delivery worker has fanned the event out to the endpoints subscribed to its type.
 */
export const events = pgTable(
  "events",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    type: text("type").notNull(),
    data: jsonb("data").notNull(),
    /**
     * The event's place among its customer's events, in commit order: set by the events_seq trigger
     * (migration 0013) from event_sequences, whose row stays locked until the inserting transaction ends,
     * so a later number is never visible before an earlier one. The live stream resumes by it.
     */
    seq: bigint("seq", { mode: "number" }).notNull(),
    /** The job the event is about, if any (the support views list a job's deliveries). */
    jobId: text("job_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
  },
  (t) => [
    index("events_customer_idx").on(t.customerId, t.id),
    uniqueIndex("events_customer_seq_idx").on(t.customerId, t.seq),
    index("events_undispatched_idx")
      .on(t.id)
      .where(sql`${t.dispatchedAt} is null`),
    // A job's events, for the support views of its webhook deliveries.
    index("events_job_idx")
      .on(t.jobId)
      .where(sql`${t.jobId} is not null`),
  ],
);

/** Each customer's last event number (events.seq), taken by the events_seq trigger. */
export const eventSequences = pgTable("event_sequences", {
  customerId: text("customer_id")
    .primaryKey()
    .references(() => customers.id, { onDelete: "cascade" }),
  lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
});

/** A customer's webhook endpoint. The signing secret is stored sealed (AES-256-GCM under the server's secret). */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    events: jsonb("events").$type<string[]>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    secretSealed: text("secret_sealed").notNull(),
    /** `whsec_` and the first 4 characters: enough to recognise the secret. */
    secretPrefix: text("secret_prefix").notNull(),
    /** Since when every delivery has failed (null: the last one succeeded, or none yet). */
    failingSince: timestamp("failing_since", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_endpoints_customer_idx").on(t.customerId, t.id)],
);

export const DELIVERY_STATUSES = ["pending", "delivering", "succeeded", "failed"] as const;

/** One event to one endpoint, retried until it succeeds or its retry window (~24 h) ends. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    eventType: text("event_type").notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    leaseToken: text("lease_token"),
    leasedUntil: timestamp("leased_until", { withTimezone: true }),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    index("webhook_deliveries_customer_idx").on(t.customerId, t.id),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    index("webhook_deliveries_event_idx").on(t.eventId),
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_lease_idx")
      .on(t.leasedUntil)
      .where(sql`${t.status} = 'delivering'`),
  ],
);

/** Every HTTP attempt of a delivery, as it happened. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    durationMs: integer("duration_ms").notNull(),
    /** The receiver's HTTP status; null when no answer came (refused address, timeout, connection error). */
    statusCode: integer("status_code"),
    ok: boolean("ok").notNull(),
    error: text("error"),
    requestHeaders: jsonb("request_headers").$type<Record<string, string>>().notNull(),
    requestBody: text("request_body").notNull(),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    responseExcerpt: text("response_excerpt"),
    /** When the next attempt is due (null: none, delivered or given up). */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attempt)],
);
