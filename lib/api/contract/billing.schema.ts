import { z } from "zod";
import { listOf, timestamp } from "./common.schema";

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
