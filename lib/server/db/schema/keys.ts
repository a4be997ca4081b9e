import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { customers } from "./customers";

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    status: text("status", { enum: ["active", "paused", "revoked"] })
      .notNull()
      .default("active"),
    allowedOrigins: text("allowed_origins")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    allowedIps: text("allowed_ips")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // A candidate list being tried in shadow (allowlist shadow mode): while now < shadow_ends_at, every
    // request the enforced lists let through but these would refuse is logged as would_refuse. Enforce
    // moves them into allowed_*, discard clears them. All four are null without a shadow.
    shadowAllowedOrigins: text("shadow_allowed_origins").array(),
    shadowAllowedIps: text("shadow_allowed_ips").array(),
    shadowStartedAt: timestamp("shadow_started_at", { withTimezone: true }),
    shadowEndsAt: timestamp("shadow_ends_at", { withTimezone: true }),
    // Requests logged as would_refuse since the shadow started (the request-log writer adds its batches).
    shadowWouldRefuse: integer("shadow_would_refuse").notNull().default(0),
    // The last roll (the rotation assistant): when, the secret it replaced (its prefix), until when that
    // secret keeps working (null: it stopped at once), and when a request last came with a secret other
    // than the current one since (the request-log writer keeps it, per batch, off the request's path).
    rolledAt: timestamp("rolled_at", { withTimezone: true }),
    oldPrefix: text("old_prefix"),
    oldExpiresAt: timestamp("old_expires_at", { withTimezone: true }),
    oldLastUsedAt: timestamp("old_last_used_at", { withTimezone: true }),
    // Set when support paused the key (who, why): only support can resume it then.
    pausedBy: text("paused_by"),
    pausedReason: text("paused_reason"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    lastUsedIp: text("last_used_ip"),
    lastUsedOrigin: text("last_used_origin"),
    // Guarded counter of queued+running jobs under this key (queue_full), never count-then-insert.
    unfinishedJobs: integer("unfinished_jobs").notNull().default(0),
    // Spend controls, as on customers: this key's job charges per UTC month, at most the limit (null: none).
    monthlyCreditLimit: integer("monthly_credit_limit"),
    spendMonth: date("spend_month"),
    spendMonthCredits: integer("spend_month_credits").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("api_keys_customer_idx").on(t.customerId, t.id),
    // Support's look-up by a pasted key prefix.
    index("api_keys_prefix_idx").on(t.prefix),
    check("api_keys_unfinished_nonnegative", sql`${t.unfinishedJobs} >= 0`),
    check("api_keys_spend_month_nonnegative", sql`${t.spendMonthCredits} >= 0`),
    check("api_keys_credit_limit_nonnegative", sql`${t.monthlyCreditLimit} >= 0`),
  ],
);

/** Secret hashes of a key: the current one, and old ones that still work until `expires_at` after a roll. */
export const keySecrets = pgTable(
  "key_secrets",
  {
    secretHash: text("secret_hash").primaryKey(),
    keyId: text("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("key_secrets_key_idx").on(t.keyId)],
);

/**
 * Usage alerts: the first debit of a UTC month that takes a customer's or a key's spend to 50, 80 or
 * 100% of its monthly credit limit records one row, in the debit's own statement; the unique index
 * keeps it to one per (limit, month, threshold). Read by listSpendAlerts (lib/server/billing/spend.ts); each
 * row is also a `spend.alert` event, written by the same statement.
 */
export const spendAlerts = pgTable(
  "spend_alerts",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    scope: text("scope", { enum: ["customer", "key"] }).notNull(),
    /** The key's id for a key's limit, else null. */
    keyId: text("key_id").references(() => apiKeys.id),
    /** The UTC month, as its first day. */
    month: date("month").notNull(),
    threshold: integer("threshold").notNull(),
    creditLimit: integer("credit_limit").notNull(),
    /** The month's spend right after the debit that reached the threshold. */
    spentCredits: integer("spent_credits").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("spend_alerts_once").on(t.customerId, sql`coalesce(${t.keyId}, '')`, t.month, t.threshold),
    index("spend_alerts_customer_idx").on(t.customerId, t.month),
  ],
);
