import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { BalanceSchema, BillingSettingsSchema, TopUpPackListSchema } from "@/lib/api/contract/billing.schema";
import { getBalance, getBillingSettings, listTopUpPacks, updateBillingSettings } from "../../billing/balance";
import { customerIdOf, requireAuth } from "../middleware/auth";
import { errorResponses, jsonContent, SECURITY } from "../openapi-helpers";
import type { ApiEnv } from "../types";

export const billingRoutes = new OpenAPIHono<ApiEnv>();

const AUTH_ERRORS = [
  "authentication_failed",
  "account_disabled",
  "origin_not_allowed",
  "ip_not_allowed",
  "rate_limited",
] as const;

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
      ...errorResponses(...AUTH_ERRORS, "not_found"),
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
    responses: { 200: jsonContent(TopUpPackListSchema, "The packs"), ...errorResponses(...AUTH_ERRORS) },
  }),
  async (c) => c.json({ data: await listTopUpPacks(), next_cursor: null }, 200),
);

billingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/billing/settings",
    tags: ["Billing"],
    summary: "Billing settings (the low-balance threshold)",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    responses: {
      200: jsonContent(BillingSettingsSchema, "The settings"),
      ...errorResponses(...AUTH_ERRORS, "not_found"),
    },
  }),
  async (c) => c.json(await getBillingSettings(customerIdOf(c)), 200),
);

billingRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/billing/settings",
    tags: ["Billing"],
    summary: "Set the low-balance threshold",
    security: [{ sessionCookie: [] }],
    middleware: [requireAuth("session")] as const,
    request: { body: { content: { "application/json": { schema: BillingSettingsSchema } }, required: true } },
    responses: {
      200: jsonContent(BillingSettingsSchema, "The new settings"),
      ...errorResponses(...AUTH_ERRORS, "invalid_request", "not_found"),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    return c.json(await updateBillingSettings(customerIdOf(c), body.low_balance_credits), 200);
  },
);
