import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** A customer account. Its `credits` column is the balance row the ledger keeps exact. */
export const customers = pgTable(
  "customers",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    status: text("status", { enum: ["active", "paused"] })
      .notNull()
      .default("active"),
    pausedReason: text("paused_reason"),
    pausedBy: text("paused_by"),
    pausedAt: timestamp("paused_at", { withTimezone: true }),
    credits: integer("credits").notNull().default(0),
    lowBalanceCredits: integer("low_balance_credits").notNull().default(100),
    balanceUpdatedAt: timestamp("balance_updated_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("customers_credits_nonnegative", sql`${t.credits} >= 0`),
    check("customers_low_balance_nonnegative", sql`${t.lowBalanceCredits} >= 0`),
  ],
);
