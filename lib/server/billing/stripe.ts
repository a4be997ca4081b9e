import Stripe from "stripe";
import { env } from "../env";
import { DomainError } from "../errors";

/**
 * The only place we talk to a payment provider. Everything that needs the network — a Checkout Session
 * (payment mode for a top-up, setup mode to save a card), the saved card's details, an off-session
 * PaymentIntent for auto-recharge — sits behind this small interface: production builds it from
 * STRIPE_SECRET_KEY, tests inject a fake.
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

/** A Checkout Session in `setup` mode: saves a card for auto-recharge's off-session charges. */
export type SetupSessionInput = {
  customerId: string;
  /** The Stripe customer a card was saved to before (the new card joins it), or null: Checkout makes one. */
  stripeCustomerId: string | null;
  currency: string;
  successUrl: string;
  cancelUrl: string;
  /** Opened by **Fix payment method**: turn auto-recharge back on once the card is saved. */
  resumeAutoRecharge: boolean;
};

export type SavedPaymentMethod = { id: string; brand: string | null; last4: string | null };

export type OffSessionChargeInput = {
  topUpId: string;
  customerId: string;
  stripeCustomerId: string;
  paymentMethodId: string;
  amountCents: number;
  currency: string;
  description: string;
};

/**
 * What Stripe said to an off-session charge: `submitted` (succeeded or processing — the signed
 * payment_intent webhook settles it), or `declined` at once (a card error such as
 * authentication_required or card_declined), with the reason to show. Any other failure throws.
 */
export type OffSessionCharge =
  | { status: "submitted"; paymentIntentId: string }
  | { status: "declined"; paymentIntentId: string | null; reason: string };

export interface SavedCardGateway {
  createSetupSession(input: SetupSessionInput): Promise<CheckoutSession>;
  /** The card a completed setup-mode session saved (its SetupIntent's payment method). */
  savedPaymentMethod(setupIntentId: string): Promise<SavedPaymentMethod>;
  /** An off-session PaymentIntent on the saved card (confirm, off_session), idempotent per top-up. */
  chargeSavedCard(input: OffSessionChargeInput): Promise<OffSessionCharge>;
}

export type PaymentGateway = CheckoutGateway & SavedCardGateway;

/** Why a card error stopped a charge, in words for the console's banner. */
export function declineReason(error: {
  code?: string | null;
  decline_code?: string | null;
  message?: string;
}) {
  const code = error.decline_code || error.code;
  const message = error.message?.trim() || "The card was declined.";
  if (code === "authentication_required") {
    return `Your bank asks you to confirm this payment, which an automatic charge cannot do (authentication_required). ${message}`;
  }
  return code ? `${message} (${code})` : message;
}

class StripeGateway implements PaymentGateway {
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

  async createSetupSession(input: SetupSessionInput): Promise<CheckoutSession> {
    const metadata = {
      customer_id: input.customerId,
      purpose: "auto_recharge_card",
      resume_auto_recharge: input.resumeAutoRecharge ? "1" : "0",
    };
    const session = await this.stripe.checkout.sessions.create({
      mode: "setup",
      currency: input.currency,
      allowed_payment_method_types: ["card"],
      ...(input.stripeCustomerId ? { customer: input.stripeCustomerId } : { customer_creation: "always" }),
      client_reference_id: input.customerId,
      metadata,
      setup_intent_data: { metadata },
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
    });
    if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a url`);
    return { id: session.id, url: session.url };
  }

  async savedPaymentMethod(setupIntentId: string): Promise<SavedPaymentMethod> {
    const intent = await this.stripe.setupIntents.retrieve(setupIntentId, { expand: ["payment_method"] });
    const method = intent.payment_method;
    if (!method) throw new Error(`Stripe setup intent ${setupIntentId} has no payment method`);
    if (typeof method === "string") return { id: method, brand: null, last4: null };
    return { id: method.id, brand: method.card?.brand ?? null, last4: method.card?.last4 ?? null };
  }

  async chargeSavedCard(input: OffSessionChargeInput): Promise<OffSessionCharge> {
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: input.amountCents,
          currency: input.currency,
          customer: input.stripeCustomerId,
          payment_method: input.paymentMethodId,
          off_session: true,
          confirm: true,
          description: input.description,
          metadata: { top_up_id: input.topUpId, customer_id: input.customerId },
        },
        // One PaymentIntent per recharge, however often the settle (or the sweep after a crash) runs.
        { idempotencyKey: `recharge-${input.topUpId}` },
      );
      if (intent.status === "succeeded" || intent.status === "processing") {
        return { status: "submitted", paymentIntentId: intent.id };
      }
      return {
        status: "declined",
        paymentIntentId: intent.id,
        reason: declineReason({
          code: intent.last_payment_error?.code ?? intent.status,
          decline_code: intent.last_payment_error?.decline_code,
          message: intent.last_payment_error?.message ?? `The payment needs action (${intent.status}).`,
        }),
      };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) {
        return {
          status: "declined",
          paymentIntentId: error.payment_intent?.id ?? null,
          reason: declineReason(error),
        };
      }
      throw error;
    }
  }
}

const OVERRIDE = Symbol.for("genmedia.checkoutGateway");
const g = globalThis as typeof globalThis & { [OVERRIDE]?: PaymentGateway | null };
let real: { key: string; gateway: PaymentGateway } | undefined;

/** The configured gateway, or null in the built-in test mode (no STRIPE_SECRET_KEY). */
export function checkoutGateway(): PaymentGateway | null {
  if (g[OVERRIDE] !== undefined) return g[OVERRIDE];
  const key = env().STRIPE_SECRET_KEY;
  if (!key) return null;
  if (real?.key !== key) real = { key, gateway: new StripeGateway(new Stripe(key)) };
  return real.gateway;
}

/** Who charges: `stripe` when a gateway is configured, else the built-in `test` mode. */
export function paymentProvider(): "test" | "stripe" {
  return checkoutGateway() ? "stripe" : "test";
}

/** Tests only: a fake gateway (or null for test mode); `undefined` goes back to the environment. */
export function setCheckoutGatewayForTests(gateway: PaymentGateway | null | undefined) {
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
