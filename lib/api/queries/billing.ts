import { queryOptions } from "@tanstack/react-query";
import { BalanceSchema, BillingSettingsSchema, TopUpPackListSchema } from "../contract/billing.schema";
import { apiFetch } from "../client";

export const billingQueries = {
  all: () => ["billing"] as const,
  balance: () =>
    queryOptions({
      queryKey: [...billingQueries.all(), "balance"] as const,
      queryFn: ({ signal }) => apiFetch("/balance", BalanceSchema, { signal }),
    }),
  packs: () =>
    queryOptions({
      queryKey: [...billingQueries.all(), "packs"] as const,
      queryFn: ({ signal }) => apiFetch("/top-up-packs", TopUpPackListSchema, { signal }),
      staleTime: 5 * 60_000,
    }),
  settings: () =>
    queryOptions({
      queryKey: [...billingQueries.all(), "settings"] as const,
      queryFn: ({ signal }) => apiFetch("/billing/settings", BillingSettingsSchema, { signal }),
    }),
};
