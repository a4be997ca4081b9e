import Stripe from "stripe";
import { env } from "../env";
import { DomainError } from "../errors";

/**
 * The only place we talk to a payment provider. Creating a Checkout Session needs the network, so it
 * sits behind this small interface: production builds it from STRIPE_SECRET_KEY, tests inject a fake.
 * Webhook verification needs no network and always uses the `stripe` package itself.
 */
export type CheckoutInput = {
  topUpId: string;
  customerId: string;
  description: string;
  priceCents: number;
  currency: string;
  successUrl: string;
  cancelUrl: string;
};

export type CheckoutSession = { id: string; url: string };

export interface CheckoutGateway {
  createCheckoutSession(input: CheckoutInput): Promise<CheckoutSession>;
}

class StripeCheckoutGateway implements CheckoutGateway {
  constructor(private readonly stripe: Stripe) {}

  async createCheckoutSession(input: CheckoutInput): Promise<CheckoutSession> {
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: "payment",
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: input.currency,
              unit_amount: input.priceCents,
              product_data: { name: input.description },
            },
          },
        ],
        client_reference_id: input.topUpId,
        metadata: { top_up_id: input.topUpId, customer_id: input.customerId },
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
      },
      // Stripe's own idempotency: the library's network retries never open two sessions for one top-up.
      { idempotencyKey: `checkout-${input.topUpId}` },
    );
    if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a url`);
    return { id: session.id, url: session.url };
  }
}

const OVERRIDE = Symbol.for("genmedia.checkoutGateway");
const g = globalThis as typeof globalThis & { [OVERRIDE]?: CheckoutGateway | null };
let real: { key: string; gateway: CheckoutGateway } | undefined;

/** The configured gateway, or null in the built-in test mode (no STRIPE_SECRET_KEY). */
export function checkoutGateway(): CheckoutGateway | null {
  if (g[OVERRIDE] !== undefined) return g[OVERRIDE];
  const key = env().STRIPE_SECRET_KEY;
  if (!key) return null;
  if (real?.key !== key) real = { key, gateway: new StripeCheckoutGateway(new Stripe(key)) };
  return real.gateway;
}

/** Tests only: a fake gateway (or null for test mode); `undefined` goes back to the environment. */
export function setCheckoutGatewayForTests(gateway: CheckoutGateway | null | undefined) {
  g[OVERRIDE] = gateway;
}

/** Wraps a provider failure: 502, not stored under the Idempotency-Key, so a retry runs for real. */
export function paymentProviderError(error: unknown): DomainError {
  console.error(JSON.stringify({ level: "error", msg: "payment provider error", error: String(error) }));
  return new DomainError("service_unavailable", {
    status: 502,
    message: "The payment provider did not answer. Nothing was charged; try again.",
    retryAfter: 2,
  });
}

export type VerifiedEvent = { id: string; type: string; object: Record<string, unknown> };

/**
 * Verifies a webhook's Stripe-Signature against the raw body (never a re-serialised JSON) and returns
 * the event. A missing secret, header or bad signature is invalid_request: nothing is processed.
 */
const refuse = (message: string) =>
  new DomainError("invalid_request", {
    message,
    details: { fields: [{ path: "header.stripe-signature", message }] },
  });

/** What can be refused before the body is read: no secret configured, no signature sent. */
export function assertWebhookSignable(signature: string | undefined): { secret: string; signature: string } {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw refuse("Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET is unset).");
  if (!signature) throw refuse("The Stripe-Signature header is missing.");
  return { secret, signature };
}

export function verifyStripeEvent(rawBody: string, header: string | undefined): VerifiedEvent {
  const { secret, signature } = assertWebhookSignable(header);
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch {
    throw refuse("The Stripe-Signature does not match this payload.");
  }
  // Signed, but not an event we can read (a JSON scalar, no id or type, no data.object): refuse it
  // rather than fail on it. Stripe only ever sends objects of this shape.
  const shape = event as unknown as { id?: unknown; type?: unknown; data?: { object?: unknown } } | null;
  const object = shape?.data?.object;
  if (
    typeof shape?.id !== "string" ||
    !shape.id ||
    shape.id.length > 255 ||
    typeof shape.type !== "string" ||
    !object ||
    typeof object !== "object" ||
    Array.isArray(object)
  ) {
    throw new DomainError("invalid_request", {
      message: "The payload is not a Stripe event (id, type and data.object are required).",
      details: { fields: [{ path: "body", message: "Not a Stripe event." }] },
    });
  }
  return { id: shape.id, type: shape.type, object: object as Record<string, unknown> };
}
