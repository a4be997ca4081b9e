import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { WebhookAckSchema } from "@/lib/api/contract/billing.schema";
import { verifyStripeEvent } from "../../billing/stripe";
import { applyStripeEvent } from "../../billing/stripe-events";
import { errorResponses, jsonContent } from "../openapi-helpers";
import type { ApiEnv } from "../types";

export const webhookRoutes = new OpenAPIHono<ApiEnv>();

webhookRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhooks/stripe",
    tags: ["Webhooks"],
    summary: "Stripe events (signature-verified)",
    // No key or session: Stripe-Signature authenticates the sender (below).
    security: [],
    description:
      "Verified against `Stripe-Signature` with STRIPE_WEBHOOK_SECRET over the raw body. A paid " +
      "`checkout.session.completed` credits its top-up exactly once, however often Stripe redelivers; a " +
      "setup-mode one stores the card auto-recharge charges; `payment_intent.succeeded` credits an " +
      "auto-recharge exactly once, and `payment_intent.payment_failed` turns auto-recharge off with the reason. " +
      "The body is Stripe's event JSON; it is deliberately not declared here, because parsing it before " +
      "the signature check would change the bytes the signature covers.",
    responses: {
      200: jsonContent(WebhookAckSchema, "Received (and applied, unless it was a redelivery)"),
      ...errorResponses("invalid_request"),
    },
  }),
  async (c) => {
    const raw = await c.req.text(); // the exact bytes Stripe signed: before any JSON parsing
    const event = verifyStripeEvent(raw, c.req.header("stripe-signature"));
    const outcome = await applyStripeEvent(event);
    return c.json({ received: true as const, duplicate: outcome.duplicate }, 200);
  },
);
