import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique } from "drizzle-orm/pg-core";

export type ErrorDetails = Record<string, string | number | boolean | null>;

/** One row per request under /api/v1 (written in batches, off the request's path). */
export const requestLog = pgTable(
  "request_log",
  {
    requestId: text("request_id").primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    status: integer("status").notNull(),
    code: text("code"),
    customerId: text("customer_id"),
    userId: text("user_id"),
    keyId: text("key_id"),
    keyPrefix: text("key_prefix"),
    ip: text("ip"),
    origin: text("origin"),
    durationMs: integer("duration_ms").notNull(),
    idempotencyKey: text("idempotency_key"),
    jobId: text("job_id"),
    // The code a key's shadow allowlist would have answered with (the request itself was let through).
    wouldRefuse: text("would_refuse"),
    /**
     * The scalar members of the error's `details` (reason, limit, key_id…; no field lists), so the
     * request story can tell one insufficient_balance (a monthly limit) from another (the balance).
     */
    errorDetails: jsonb("error_details").$type<ErrorDetails>(),
  },
  (t) => [
    index("request_log_customer_idx").on(t.customerId, t.at),
    index("request_log_customer_code_idx").on(t.customerId, t.code, t.at),
    index("request_log_customer_key_idx").on(t.customerId, t.keyId, t.at),
    index("request_log_at_idx").on(t.at),
    // The allowlist preview: a key's last 7 days grouped by (ip, origin), read from the index alone.
    index("request_log_key_at_idx").on(t.keyId, t.at, t.ip, t.origin),
    // The request log's would_refuse filter: shadow refusals are few, so the index is small.
    index("request_log_customer_would_refuse_idx")
      .on(t.customerId, t.at)
      .where(sql`${t.wouldRefuse} is not null`),
  ],
);

/**
 * A key's requests per UTC hour and (ip, origin), kept by the request-log writer in the statement that
 * inserts its batch: the allowlist preview reads a key's week from here (a few thousand rows), not
 * from its million log rows. Pruned with the request log.
 */
export const requestLogHourly = pgTable(
  "request_log_hourly",
  {
    keyId: text("key_id").notNull(),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    ip: text("ip"),
    origin: text("origin"),
    requests: integer("requests").notNull(),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    // One row per (key, hour, ip, origin); a missing IP or origin is one value (the writer's upsert).
    unique("request_log_hourly_key_hour_ip_origin").on(t.keyId, t.hour, t.ip, t.origin).nullsNotDistinct(),
    index("request_log_hourly_hour_idx").on(t.hour),
  ],
);

/**
 * The same counts per UTC day, kept in the same statement: the preview reads whole days from here and
 * only the hours before its first midnight from request_log_hourly.
 */
export const requestLogDaily = pgTable(
  "request_log_daily",
  {
    keyId: text("key_id").notNull(),
    day: timestamp("day", { withTimezone: true }).notNull(),
    ip: text("ip"),
    origin: text("origin"),
    requests: integer("requests").notNull(),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    unique("request_log_daily_key_day_ip_origin").on(t.keyId, t.day, t.ip, t.origin).nullsNotDistinct(),
    index("request_log_daily_day_idx").on(t.day),
  ],
);

/** Who did what, when and why: key changes, staff actions and staff lookups. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: text("actor_user_id"),
    actorEmail: text("actor_email"),
    actorRole: text("actor_role"),
    customerId: text("customer_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    reason: text("reason"),
    details: jsonb("details"),
    requestId: text("request_id"),
  },
  (t) => [index("audit_customer_idx").on(t.customerId, t.at), index("audit_at_idx").on(t.at)],
);

/** Idempotency-Key claims, scoped to the customer, kept 24 h. Claimed inside the work's transaction. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    customerId: text("customer_id").notNull(),
    key: text("key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.key] }), index("idempotency_created_idx").on(t.createdAt)],
);
