import { queryOptions } from "@tanstack/react-query";
import type {
  AutoRechargeSettings,
  BillingSettings,
  PaymentMethodSetup,
  PaymentMethodSetupCreate,
  TopUp,
  TopUpPack,
} from "../contract/billing.schema";
import { apiFetch, lazySchema } from "../client";
import { formatMoney } from "@/lib/format/credits";

const schemas = () => import("../contract/billing.schema");
const BalanceSchema = lazySchema(schemas, (m) => m.BalanceSchema);
export const BillingSettingsSchema = lazySchema(schemas, (m) => m.BillingSettingsSchema);
export const LedgerListSchema = lazySchema(schemas, (m) => m.LedgerListSchema);
const TopUpPackListSchema = lazySchema(schemas, (m) => m.TopUpPackListSchema);
const TopUpSchema = lazySchema(schemas, (m) => m.TopUpSchema);
const UsageSchema = lazySchema(schemas, (m) => m.UsageSchema);
const SpendAlertListSchema = lazySchema(schemas, (m) => m.SpendAlertListSchema);
const PaymentMethodSetupSchema = lazySchema(schemas, (m) => m.PaymentMethodSetupSchema);

export const LEDGER_PAGE_SIZE = 20;
export const USAGE_DAYS = 30;

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
      // While an auto-recharge is being charged, re-read until it has settled (succeeded or failed).
      refetchInterval: (query) => (query.state.data?.auto_recharge.in_flight ? 1_000 : false),
    }),
  /** This month's usage alerts (50/80/100% of the account's and its keys' monthly credit limits). */
  spendAlerts: () =>
    queryOptions({
      queryKey: [...billingQueries.all(), "spend-alerts"] as const,
      queryFn: ({ signal }) => apiFetch("/billing/spend-alerts", SpendAlertListSchema, { signal }),
    }),
  ledgers: () => [...billingQueries.all(), "ledger"] as const,
  /** One keyset page of the ledger; `cursor: null` is the newest page. */
  ledger: (cursor: string | null, limit = LEDGER_PAGE_SIZE) =>
    queryOptions({
      queryKey: [...billingQueries.ledgers(), { cursor, limit }] as const,
      queryFn: ({ signal }) => {
        const params = new URLSearchParams({ limit: String(limit) });
        if (cursor) params.set("cursor", cursor);
        return apiFetch(`/ledger?${params}`, LedgerListSchema, { signal });
      },
    }),
  usage: (days = USAGE_DAYS) =>
    queryOptions({
      queryKey: [...billingQueries.all(), "usage", days] as const,
      queryFn: ({ signal }) => apiFetch(`/usage?days=${days}`, UsageSchema, { signal }),
    }),
  /** One top-up; while it is pending (Stripe), re-read every 2 s until the webhook has settled it. */
  topUp: (id: string) =>
    queryOptions({
      queryKey: [...billingQueries.all(), "top-ups", id] as const,
      queryFn: ({ signal }) => apiFetch(`/top-ups/${encodeURIComponent(id)}`, TopUpSchema, { signal }),
      refetchInterval: (query) => (query.state.data?.status === "pending" ? 2_000 : false),
    }),
};

/** POST /top-ups. One Idempotency-Key per purchase, reused by the mutation's retries. */
export function createTopUp(vars: { pack: string }, idempotencyKey: string): Promise<TopUp> {
  return apiFetch("/top-ups", TopUpSchema, { method: "POST", json: vars, idempotencyKey });
}

/** PATCH /billing/settings with the auto-recharge setting; answers the settings with its state. */
export function saveAutoRecharge(
  body: AutoRechargeSettings,
  idempotencyKey: string,
): Promise<BillingSettings> {
  return apiFetch("/billing/settings", BillingSettingsSchema, {
    method: "PATCH",
    json: { auto_recharge: body },
    idempotencyKey,
  });
}

/** PATCH /billing/settings with the account's monthly credit limit (null: none). */
export function saveMonthlyCreditLimit(limit: number | null): Promise<BillingSettings> {
  const body = { monthly_credit_limit: limit };
  return apiFetch("/billing/settings", BillingSettingsSchema, { method: "PATCH", json: body });
}

/** The smallest pack that covers `shortfall` credits, else the largest (it covers the most). */
export function smallestCoveringPack(packs: TopUpPack[], shortfall: number): TopUpPack | undefined {
  const bySize = [...packs].sort((a, b) => a.credits - b.credits);
  return bySize.find((p) => p.credits >= shortfall) ?? bySize.at(-1);
}

/** Price per credit, e.g. "$0.0090": four decimals, because packs differ in the third. */
export function perCreditPrice(pack: Pick<TopUpPack, "credits" | "price_cents" | "currency">): string {
  return formatMoney(pack.price_cents, pack.currency, { per: pack.credits, digits: 4 });
}

/** With Stripe: a Checkout Session in setup mode that saves the card auto-recharge charges. */
export function startCardSetup(body: PaymentMethodSetupCreate): Promise<PaymentMethodSetup> {
  return apiFetch("/billing/payment-method", PaymentMethodSetupSchema, { method: "POST", json: body });
}
