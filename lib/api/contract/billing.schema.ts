import { z } from "zod";
import { ListQuerySchema, listOf, timestamp } from "./common.schema";

export const BalanceSchema = z
  .object({ credits: z.number().int(), updated_at: timestamp })
  .meta({ id: "Balance" });
export type Balance = z.infer<typeof BalanceSchema>;

export const TopUpPackSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    credits: z.number().int(),
    price_cents: z.number().int(),
    currency: z.string(),
  })
  .meta({ id: "TopUpPack" });
export type TopUpPack = z.infer<typeof TopUpPackSchema>;

export const TopUpPackListSchema = listOf(TopUpPackSchema);

const lowBalanceCredits = z.number().int().min(0).max(1_000_000_000);

export { AUTO_RECHARGE_FAIL_SUFFIX, autoRechargePack } from "./constants";

/** PATCH /billing/settings `auto_recharge`: the whole setting, every field given. */
export const AutoRechargeSettingsSchema = z
  .object({
    enabled: z.boolean(),
    threshold_credits: z
      .number()
      .int()
      .min(0)
      .max(1_000_000_000)
      .meta({ description: "A debit that leaves the balance below this starts one recharge." }),
    pack: z.string().min(1).max(100).meta({
      description:
        "The top-up pack bought each time. Test mode only: `<pack>!fail` (e.g. `pack_growth!fail`) makes the charge fail.",
      example: "pack_growth",
    }),
    monthly_cap_cents: z.number().int().min(0).max(100_000_000).meta({
      description: "At most this much is charged per UTC calendar month (at least the pack's price).",
    }),
  })
  .meta({ id: "AutoRechargeSettings" });
export type AutoRechargeSettings = z.infer<typeof AutoRechargeSettingsSchema>;

/** The setting as stored, with its state this month. */
export const AutoRechargeStateSchema = z
  .object({
    enabled: z.boolean(),
    threshold_credits: z.number().int(),
    pack: z.string().nullable(),
    monthly_cap_cents: z.number().int(),
    month: z.string().meta({ description: "The current UTC calendar month, `YYYY-MM`.", example: "2026-12" }),
    month_spent_cents: z
      .number()
      .int()
      .meta({ description: "Charged this month by auto-recharge (a recharge in flight included)." }),
    in_flight: z.boolean(),
    disabled_reason: z
      .string()
      .nullable()
      .meta({ description: "Set when a failed charge turned auto-recharge off; cleared by turning it on." }),
    disabled_at: timestamp.nullable(),
    provider: z.enum(["test", "stripe"]).meta({
      description:
        "Who charges a recharge: `test` (the built-in test mode: at once) or `stripe` (an off-session payment on the saved card, credited by Stripe's signed webhook).",
    }),
    payment_method: z.object({ brand: z.string().nullable(), last4: z.string().nullable() }).nullable().meta({
      description:
        "With Stripe: the card auto-recharge charges (saved with POST /billing/payment-method), or null: none yet. Always null in test mode.",
    }),
  })
  .meta({ id: "AutoRechargeState" });
export type AutoRechargeState = z.infer<typeof AutoRechargeStateSchema>;

/** POST /billing/payment-method: a Checkout Session in setup mode that saves a card for auto-recharge. */
export const PaymentMethodSetupCreateSchema = z
  .object({
    resume_auto_recharge: z.boolean().optional().meta({
      description:
        "Turn auto-recharge back on (with its stored setting) once the card is saved — what **Fix payment method** does after a failed charge.",
    }),
  })
  .meta({ id: "PaymentMethodSetupCreate" });
export type PaymentMethodSetupCreate = z.infer<typeof PaymentMethodSetupCreateSchema>;

export const PaymentMethodSetupSchema = z
  .object({
    id: z.string().meta({ description: "The Stripe Checkout Session's id." }),
    url: z.string().meta({ description: "Stripe Checkout, where the customer enters the card." }),
  })
  .meta({ id: "PaymentMethodSetup" });
export type PaymentMethodSetup = z.infer<typeof PaymentMethodSetupSchema>;

/** A monthly credit limit: at most this many credits of job charges per UTC calendar month; null, none. */
export const monthlyCreditLimit = z
  .number()
  .int()
  .min(0)
  .max(1_000_000_000)
  .nullable()
  .meta({
    description:
      "At most this many credits of job charges per UTC calendar month (refunds give theirs back); null: no limit. " +
      "A charge that would pass it is 402 `insufficient_balance` with `details.reason` `spend_limit`.",
  });

/** A customer's or a key's monthly credit limit and its spend this month. */
export const SpendStateSchema = z
  .object({
    monthly_credit_limit: monthlyCreditLimit,
    month: z.string().meta({ description: "The current UTC calendar month, `YYYY-MM`.", example: "2026-12" }),
    month_spent_credits: z
      .number()
      .int()
      .meta({ description: "Credits of job charges this month, less their refunds." }),
  })
  .meta({ id: "SpendState" });
export type SpendState = z.infer<typeof SpendStateSchema>;

export { SPEND_ALERT_THRESHOLDS } from "./constants";

/** A usage alert: the first charge of the month that took a limit's spend to 50, 80 or 100% of it. */
export const SpendAlertSchema = z
  .object({
    id: z.string(),
    scope: z.enum(["customer", "key"]),
    /** A key's limit: the key. */
    key_id: z.string().nullable(),
    key_name: z.string().nullable(),
    month: z.string().meta({ example: "2026-12" }),
    threshold: z.number().int().meta({ description: "50, 80 or 100 (percent of the limit)." }),
    monthly_credit_limit: z.number().int().meta({ description: "The limit when the alert was recorded." }),
    month_spent_credits: z.number().int().meta({ description: "The month's spend right after that charge." }),
    active: z.boolean().meta({
      description:
        "Whether the month's spend is still at or past this threshold of the limit as it is now (false once the limit was raised past it or removed).",
    }),
    created_at: timestamp,
  })
  .meta({ id: "SpendAlert" });
export type SpendAlert = z.infer<typeof SpendAlertSchema>;

export const SpendAlertListSchema = listOf(SpendAlertSchema);
export type SpendAlertList = z.infer<typeof SpendAlertListSchema>;

export const BillingSettingsSchema = z
  .object({
    low_balance_credits: lowBalanceCredits,
    auto_recharge: AutoRechargeStateSchema,
    spend: SpendStateSchema,
  })
  .meta({ id: "BillingSettings" });
export type BillingSettings = z.infer<typeof BillingSettingsSchema>;

/** PATCH /billing/settings: either part, or both. */
export const BillingSettingsUpdateSchema = z
  .object({
    low_balance_credits: lowBalanceCredits.optional(),
    auto_recharge: AutoRechargeSettingsSchema.optional(),
    monthly_credit_limit: monthlyCreditLimit.optional(),
  })
  .refine(
    (b) =>
      b.low_balance_credits !== undefined ||
      b.auto_recharge !== undefined ||
      b.monthly_credit_limit !== undefined,
    { message: "Give low_balance_credits, auto_recharge, monthly_credit_limit, or several." },
  )
  .meta({ id: "BillingSettingsUpdate" });
export type BillingSettingsUpdate = z.infer<typeof BillingSettingsUpdateSchema>;

export const TOP_UP_TRIGGERS = ["manual", "auto_recharge"] as const;
export type TopUpTrigger = (typeof TOP_UP_TRIGGERS)[number];

export const TOP_UP_STATUSES = ["pending", "succeeded", "failed", "canceled"] as const;

export const TopUpCreateSchema = z
  .object({ pack: z.string().min(1).max(100).meta({ example: "pack_starter" }) })
  .meta({ id: "TopUpCreate" });
export type TopUpCreate = z.infer<typeof TopUpCreateSchema>;

/** A purchase of a pack: `succeeded` at once in test mode, `pending` with a `checkout_url` under Stripe. */
export const TopUpSchema = z
  .object({
    id: z.string(),
    pack: z.string(),
    credits: z.number().int(),
    price_cents: z.number().int(),
    currency: z.string(),
    status: z.enum(TOP_UP_STATUSES),
    provider: z.enum(["test", "stripe"]),
    checkout_url: z.string().nullable(),
    trigger: z.enum(TOP_UP_TRIGGERS),
    /** An auto-recharge: the job whose charge started it. */
    job_id: z.string().nullable(),
    /** A failed charge: why. */
    failure_reason: z.string().nullable(),
    created_at: timestamp,
    completed_at: timestamp.nullable(),
  })
  .meta({ id: "TopUp" });
export type TopUp = z.infer<typeof TopUpSchema>;

export const LEDGER_ENTRY_KINDS = ["top_up", "job_charge", "job_refund", "adjustment"] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/** One credit movement; `credits` is signed (+ in, − out), `balance_after` the balance right after it. */
export const LedgerEntrySchema = z
  .object({
    id: z.string(),
    kind: z.enum(LEDGER_ENTRY_KINDS),
    credits: z.number().int(),
    balance_after: z.number().int(),
    job_id: z.string().nullable(),
    top_up_id: z.string().nullable(),
    product_id: z.string().nullable(),
    key_id: z.string().nullable(),
    note: z.string().nullable(),
    /** A `top_up` entry's trigger (`manual` or `auto_recharge`); null on other kinds. */
    trigger: z.enum(TOP_UP_TRIGGERS).nullable(),
    created_at: timestamp,
  })
  .meta({ id: "LedgerEntry" });
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

export const LedgerListSchema = listOf(LedgerEntrySchema);
export type LedgerList = z.infer<typeof LedgerListSchema>;

/** GET /ledger: keyset paging, optionally one job's rows only (its charge, refund, re-charges). */
export const LedgerQuerySchema = ListQuerySchema.extend({ job_id: z.string().min(1).max(100).optional() });

export const USAGE_MAX_DAYS = 90;

export const UsageQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(USAGE_MAX_DAYS).default(30),
});

const day = z.iso.date();

/**
 * Credits spent (job charges minus their refunds), per UTC day, per product and per key. A refund counts
 * on the day of the charge it undoes, so no day is ever negative. `key_id: null` is the console.
 */
export const UsageSchema = z
  .object({
    days: z.number().int(),
    from: day,
    to: day,
    total_credits: z.number().int(),
    products: z.array(z.object({ id: z.string(), name: z.string(), credits: z.number().int() })),
    keys: z.array(
      z.object({ id: z.string().nullable(), name: z.string().nullable(), credits: z.number().int() }),
    ),
    daily: z.array(
      z.object({
        date: day,
        credits: z.number().int(),
        by_product: z.array(z.object({ product: z.string(), credits: z.number().int() })),
        by_key: z.array(z.object({ key_id: z.string().nullable(), credits: z.number().int() })),
      }),
    ),
  })
  .meta({ id: "Usage" });
export type Usage = z.infer<typeof UsageSchema>;

export const WebhookAckSchema = z
  .object({ received: z.literal(true), duplicate: z.boolean() })
  .meta({ id: "WebhookAck" });
