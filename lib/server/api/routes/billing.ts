import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  BalanceSchema,
  BillingSettingsSchema,
  BillingSettingsUpdateSchema,
  LedgerListSchema,
  LedgerQuerySchema,
  PaymentMethodSetupCreateSchema,
  PaymentMethodSetupSchema,
  SpendAlertListSchema,
  TopUpCreateSchema,
  TopUpPackListSchema,
  TopUpSchema,
  UsageQuerySchema,
  UsageSchema,
} from "@/lib/api/contract/billing.schema";
import { appOrigin } from "../../auth/origin";
import { getBalance, getBillingSettings, listTopUpPacks, updateBillingSettings } from "../../billing/balance";
import { listLedger } from "../../billing/ledger-queries";
import { listSpendAlerts } from "../../billing/spend";
import { startPaymentMethodSetup } from "../../billing/saved-card";
import { createTopUp, getTopUp } from "../../billing/top-ups";
import { getUsage } from "../../billing/usage";
import { auditActorOf } from "../actor";
import { AUTH_ERRORS, customerIdOf, requireAuth } from "../middleware/auth";
import { errorResponses, jsonContent, SECURITY } from "../openapi-helpers";
import { idempotencyClaim, idempotent } from "../idempotent";
import type { ApiEnv } from "../types";

export const billingRoutes = new OpenAPIHono<ApiEnv>();

billingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/balance",
    tags: ["Billing"],
    summary: "The customer's credit balance",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    responses: {
      200: jsonContent(BalanceSchema, "The balance"),
      ...errorResponses(...AUTH_ERRORS.any, "not_found"),
    },
  }),
  async (c) => c.json(await getBalance(customerIdOf(c)), 200),
);

billingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/top-up-packs",
    tags: ["Billing"],
    summary: "Credit packs that can be bought",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    responses: { 200: jsonContent(TopUpPackListSchema, "The packs"), ...errorResponses(...AUTH_ERRORS.any) },
  }),
  async (c) => c.json({ data: await listTopUpPacks(), next_cursor: null }, 200),
);

billingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/billing/settings",
    tags: ["Billing"],
    summary: "Billing settings (the low-balance threshold, auto-recharge and its state this month)",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    responses: {
      200: jsonContent(BillingSettingsSchema, "The settings"),
      ...errorResponses(...AUTH_ERRORS.any, "not_found"),
    },
  }),
  async (c) => c.json(await getBillingSettings(customerIdOf(c)), 200),
);

billingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/billing/spend-alerts",
    tags: ["Billing"],
    summary:
      "This month's usage alerts (50, 80 and 100% of the account's and its keys' monthly credit limits)",
    description:
      "One alert per limit and threshold per UTC calendar month, recorded by the job charge that took the " +
      "month's spend to 50, 80 or 100% of a monthly credit limit (the account's, or a key's). Newest first.",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    responses: {
      200: jsonContent(SpendAlertListSchema, "The alerts"),
      ...errorResponses(...AUTH_ERRORS.any),
    },
  }),
  async (c) => c.json({ data: await listSpendAlerts(customerIdOf(c)), next_cursor: null }, 200),
);

billingRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/billing/settings",
    tags: ["Billing"],
    summary: "Set the low-balance threshold, auto-recharge and/or the monthly credit limit",
    description:
      "`auto_recharge`: when a debit leaves the balance below `threshold_credits`, one recharge buys " +
      "`pack` (a `top_up` with trigger `auto_recharge`), at most `monthly_cap_cents` per UTC calendar " +
      "month. In the built-in test mode the charge succeeds at once; with Stripe it is an off-session " +
      "PaymentIntent on the card saved with POST /billing/payment-method (required to turn it on), credited " +
      "when Stripe's signed `payment_intent.succeeded` arrives. Test trigger (test mode): a pack written " +
      "`<pack>!fail` (e.g. `pack_growth!fail`) makes every charge fail, which turns auto-recharge off " +
      "and records why (`disabled_reason`). Turning it on again clears the reason. An unknown pack is " +
      "`invalid_pack`. `monthly_credit_limit`: at most this many credits of job charges per UTC calendar " +
      "month (null: no limit); a charge past it is 402 `insufficient_balance` with `details.reason` " +
      "`spend_limit` and `details.limit` `customer`.",
    security: [{ sessionCookie: [] }],
    middleware: [requireAuth("session")] as const,
    request: {
      body: { content: { "application/json": { schema: BillingSettingsUpdateSchema } }, required: true },
    },
    responses: {
      200: jsonContent(BillingSettingsSchema, "The new settings"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "invalid_pack", "not_found"),
    },
  }),
  async (c) =>
    c.json(
      await updateBillingSettings(customerIdOf(c), c.req.valid("json"), {
        actor: auditActorOf(c),
        requestId: c.get("requestId"),
      }),
      200,
    ),
);

billingRoutes.openapi(
  createRoute({
    method: "post",
    path: "/billing/payment-method",
    tags: ["Billing"],
    summary: "Save a card for auto-recharge (Stripe Checkout in setup mode)",
    description:
      "With Stripe configured: opens a Checkout Session in `setup` mode and answers its `url`. When the " +
      "customer has entered the card, Stripe's signed `checkout.session.completed` webhook stores it (it " +
      "replaces a card saved before) and, with `resume_auto_recharge`, turns auto-recharge back on with " +
      "its stored setting. In the built-in test mode there is no card to save: `invalid_request`.",
    security: [{ sessionCookie: [] }],
    middleware: [requireAuth("session")] as const,
    request: {
      body: { content: { "application/json": { schema: PaymentMethodSetupCreateSchema } }, required: true },
    },
    responses: {
      201: jsonContent(PaymentMethodSetupSchema, "The Checkout Session to send the customer to"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found", "service_unavailable"),
    },
  }),
  async (c) =>
    c.json(await startPaymentMethodSetup(customerIdOf(c), c.req.valid("json"), appOrigin(c.req.raw)), 201),
);

billingRoutes.openapi(
  createRoute({
    method: "post",
    path: "/top-ups",
    tags: ["Billing"],
    summary: "Buy a credit pack",
    description:
      "In the built-in test mode (no payment provider) the top-up succeeds at once (201, status `succeeded`). " +
      "With Stripe configured it is `pending` with a `checkout_url`, and credited when Stripe's signed " +
      "`checkout.session.completed` webhook arrives. Accepts `Idempotency-Key`.",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { body: { content: { "application/json": { schema: TopUpCreateSchema } }, required: true } },
    responses: {
      201: jsonContent(TopUpSchema, "The top-up"),
      ...errorResponses(
        ...AUTH_ERRORS.any,
        "invalid_request",
        "invalid_pack",
        "idempotency_conflict",
        "not_found",
      ),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const customerId = customerIdOf(c);
    const topUp = await idempotent(c, idempotencyClaim(c, body), 201, (tx) =>
      createTopUp(tx, {
        customerId,
        packId: body.pack,
        appOrigin: appOrigin(c.req.raw),
        requestId: c.get("requestId"),
        actor: auditActorOf(c),
      }),
    );
    return c.json(topUp, 201);
  },
);

billingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/top-ups/{id}",
    tags: ["Billing"],
    summary: "One top-up (the Stripe return page polls it until the webhook has credited it)",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: {
      params: z.object({
        id: z
          .string()
          .min(1)
          .max(100)
          .openapi({ param: { name: "id", in: "path" }, example: "top_01J…" }),
      }),
    },
    responses: {
      200: jsonContent(TopUpSchema, "The top-up"),
      ...errorResponses(...AUTH_ERRORS.any, "not_found"),
    },
  }),
  async (c) => c.json(await getTopUp(customerIdOf(c), c.req.valid("param").id), 200),
);

billingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/ledger",
    tags: ["Billing"],
    summary: "Every credit movement, newest first (keyset pages)",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { query: LedgerQuerySchema },
    responses: {
      200: jsonContent(LedgerListSchema, "One page of ledger entries"),
      ...errorResponses(...AUTH_ERRORS.any, "invalid_request", "not_found"),
    },
  }),
  async (c) => c.json(await listLedger(customerIdOf(c), c.req.valid("query")), 200),
);

billingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/usage",
    tags: ["Billing"],
    summary: "Credits spent per UTC day, per product and per key (job charges minus their refunds)",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { query: UsageQuerySchema },
    responses: {
      200: jsonContent(UsageSchema, "Usage over the last `days` days, today included"),
      ...errorResponses(...AUTH_ERRORS.any, "invalid_request", "not_found"),
    },
  }),
  async (c) => c.json(await getUsage(customerIdOf(c), c.req.valid("query").days), 200),
);
