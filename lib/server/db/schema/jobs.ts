import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { customers } from "./customers";

export const products = pgTable("products", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  kind: text("kind", { enum: ["image", "video"] }).notNull(),
  priceCredits: integer("price_credits").notNull(),
  needs: text("needs", { enum: ["source_image_url", "start_image_url"] }),
  status: text("status", { enum: ["active", "paused"] })
    .notNull()
    .default("active"),
  pausedReason: text("paused_reason"),
  pausedBy: text("paused_by"),
  pausedAt: timestamp("paused_at", { withTimezone: true }),
  sortOrder: integer("sort_order").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const uploads = pgTable(
  "uploads",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    contentType: text("content_type").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    bytes: integer("bytes").notNull(),
    storageKey: text("storage_key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("uploads_customer_idx").on(t.customerId, t.id),
    // The sweeper of unreferenced uploads walks them oldest first.
    index("uploads_created_idx").on(t.createdAt),
  ],
);

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "canceled"] as const;

export const jobs = pgTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    keyId: text("key_id"),
    productId: text("product_id").notNull(),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("queued"),
    prompt: text("prompt").notNull(),
    inputs: jsonb("inputs").notNull().default({}),
    costCredits: integer("cost_credits").notNull(),
    refunded: boolean("refunded").notNull().default(false),
    // Which charge is current: 1 at creation, +1 per retry (ledger rows are unique per charge).
    charge: integer("charge").notNull().default(1),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    output: jsonb("output"),
    error: jsonb("error"),
    requestId: text("request_id"),
    leaseToken: text("lease_token"),
    leasedUntil: timestamp("leased_until", { withTimezone: true }),
    runAfter: timestamp("run_after", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("jobs_customer_idx").on(t.customerId, t.id),
    index("jobs_customer_status_idx").on(t.customerId, t.status, t.id),
    index("jobs_customer_product_idx").on(t.customerId, t.productId, t.id),
    index("jobs_customer_key_idx").on(t.customerId, t.keyId, t.id),
    // The request story: the job a request created.
    index("jobs_request_idx")
      .on(t.requestId)
      .where(sql`${t.requestId} is not null`),
    index("jobs_queue_idx")
      .on(t.runAfter)
      .where(sql`${t.status} = 'queued'`),
    // Is an upload used by a job? (the sweeper keeps those).
    index("jobs_upload_idx")
      .on(sql`(${t.inputs}->>'upload_id')`)
      .where(sql`${t.inputs} ? 'upload_id'`),
    index("jobs_lease_idx")
      .on(t.leasedUntil)
      .where(sql`${t.status} = 'running'`),
  ],
);
