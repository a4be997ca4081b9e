import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

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
    // Auto-recharge (lib/server/billing/auto-recharge.ts). The settings: when a debit leaves the balance
    // below the threshold, buy the pack, at most monthly_cap_cents per UTC calendar month.
    autoRechargeEnabled: boolean("auto_recharge_enabled").notNull().default(false),
    autoRechargeThreshold: integer("auto_recharge_threshold").notNull().default(0),
    /** A pack id; in test mode `<pack>!fail` makes every charge fail (documented test trigger). */
    autoRechargePack: text("auto_recharge_pack"),
    autoRechargeCapCents: integer("auto_recharge_cap_cents").notNull().default(0),
    // The state, moved only by guarded UPDATEs on this row: the recharge in flight (its top-up id; at
    // most one), and the cents started this month (in flight + succeeded; a failure gives its back).
    autoRechargeTopUpId: text("auto_recharge_top_up_id"),
    autoRechargeMonth: date("auto_recharge_month"),
    autoRechargeMonthCents: integer("auto_recharge_month_cents").notNull().default(0),
    /** Why a failed charge turned auto-recharge off (cleared when it is turned on again). */
    autoRechargeDisabledReason: text("auto_recharge_disabled_reason"),
    autoRechargeDisabledAt: timestamp("auto_recharge_disabled_at", { withTimezone: true }),
    // With Stripe: the card auto-recharge charges off-session, saved by a Checkout Session in setup mode
    // (its signed checkout.session.completed webhook): the Stripe customer, the payment method and what
    // the console shows of it.
    stripeCustomerId: text("stripe_customer_id"),
    paymentMethodId: text("payment_method_id"),
    paymentMethodBrand: text("payment_method_brand"),
    paymentMethodLast4: text("payment_method_last4"),
    // Spend controls (lib/server/billing/spend-sql.ts): at most monthly_credit_limit credits of job
    // charges per UTC calendar month (null: no limit). spend_month_credits is this month's guarded
    // counter (charges minus refunds), moved in the debit's own UPDATE; a new month starts it at 0.
    monthlyCreditLimit: integer("monthly_credit_limit"),
    spendMonth: date("spend_month"),
    spendMonthCredits: integer("spend_month_credits").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("customers_credits_nonnegative", sql`${t.credits} >= 0`),
    check("customers_low_balance_nonnegative", sql`${t.lowBalanceCredits} >= 0`),
    check("customers_auto_recharge_month_nonnegative", sql`${t.autoRechargeMonthCents} >= 0`),
    check("customers_spend_month_nonnegative", sql`${t.spendMonthCredits} >= 0`),
    check("customers_credit_limit_nonnegative", sql`${t.monthlyCreditLimit} >= 0`),
    // The sweeper's lookup of recharges left in flight (a process that died before settling one).
    index("customers_auto_recharge_in_flight_idx")
      .on(t.autoRechargeTopUpId)
      .where(sql`${t.autoRechargeTopUpId} is not null`),
  ],
);
