import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { customers } from "./customers";

export const LEDGER_KINDS = ["top_up", "job_charge", "job_refund", "adjustment"] as const;

/** Every credit movement. balance_after is the customer's balance right after this row. */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    kind: text("kind", { enum: LEDGER_KINDS }).notNull(),
    credits: integer("credits").notNull(),
    balanceAfter: integer("balance_after").notNull(),
    jobId: text("job_id"),
    // Which charge of the job this row belongs to (1 at creation, +1 per retry): refunds are once per charge.
    jobAttempt: integer("job_attempt"),
    topUpId: text("top_up_id"),
    keyId: text("key_id"),
    productId: text("product_id"),
    requestId: text("request_id"),
    note: text("note"),
    /** A top_up row's trigger: `manual` (POST /top-ups, Stripe Checkout) or `auto_recharge`. */
    trigger: text("trigger", { enum: ["manual", "auto_recharge"] }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("ledger_customer_idx").on(t.customerId, t.id),
    index("ledger_job_idx").on(t.jobId),
    // The request story: the money a request moved.
    index("ledger_request_idx")
      .on(t.requestId)
      .where(sql`${t.requestId} is not null`),
    uniqueIndex("ledger_job_once")
      .on(t.jobId, t.jobAttempt, t.kind)
      .where(sql`${t.jobId} is not null`),
    uniqueIndex("ledger_top_up_once")
      .on(t.topUpId)
      .where(sql`${t.topUpId} is not null`),
    check("ledger_balance_nonnegative", sql`${t.balanceAfter} >= 0`),
  ],
);

export const topUpPacks = pgTable("top_up_packs", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  credits: integer("credits").notNull(),
  priceCents: integer("price_cents").notNull(),
  currency: text("currency").notNull().default("usd"),
  sortOrder: integer("sort_order").notNull().default(0),
  active: boolean("active").notNull().default(true),
});

export const topUps = pgTable(
  "top_ups",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    packId: text("pack_id").notNull(),
    credits: integer("credits").notNull(),
    priceCents: integer("price_cents").notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed", "canceled"] }).notNull(),
    provider: text("provider", { enum: ["test", "stripe"] }).notNull(),
    checkoutSessionId: text("checkout_session_id").unique(),
    checkoutUrl: text("checkout_url"),
    /** An auto-recharge with Stripe: the off-session PaymentIntent on the saved card. */
    paymentIntentId: text("payment_intent_id").unique(),
    trigger: text("trigger", { enum: ["manual", "auto_recharge"] })
      .notNull()
      .default("manual"),
    /** An auto-recharge: the job whose charge left the balance below the threshold (null: not a job's). */
    jobId: text("job_id"),
    failureReason: text("failure_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    index("top_ups_customer_idx").on(t.customerId, t.id),
    // At most one auto-recharge in flight per customer (the guarded column on customers is the first guard).
    uniqueIndex("top_ups_auto_recharge_in_flight")
      .on(t.customerId)
      .where(sql`${t.trigger} = 'auto_recharge' and ${t.status} = 'pending'`),
  ],
);

/** Stripe events already handled: redelivery is a no-op. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});
