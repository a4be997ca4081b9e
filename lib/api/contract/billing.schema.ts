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

export const BillingSettingsSchema = z
  .object({ low_balance_credits: z.number().int().min(0).max(1_000_000_000) })
  .meta({ id: "BillingSettings" });
export type BillingSettings = z.infer<typeof BillingSettingsSchema>;

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
