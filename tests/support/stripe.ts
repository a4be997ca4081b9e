import Stripe from "stripe";
import type {
  CheckoutInput,
  CheckoutSession,
  OffSessionCharge,
  OffSessionChargeInput,
  PaymentGateway,
  SavedPaymentMethod,
  SetupSessionInput,
} from "@/lib/server/billing/stripe";
import { api } from "./api";

/**
 * Stands in for Stripe's API at our one network boundary (lib/server/billing/stripe.ts): records the
 * calls and answers as Stripe would. An off-session charge is idempotent per top-up, as Stripe's
 * idempotency key makes it: concurrent or repeated calls for one recharge get the one PaymentIntent.
 */
export class FakeStripe implements PaymentGateway {
  checkoutCalls: CheckoutInput[] = [];
  setupCalls: SetupSessionInput[] = [];
  /** Every chargeSavedCard call, repeats included. */
  chargeCalls: OffSessionChargeInput[] = [];
  /** The PaymentIntents made, by top-up (the idempotency key). */
  intents = new Map<
    string,
    { id: string; input: OffSessionChargeInput; answer: Promise<OffSessionCharge> }
  >();
  /** The card each setup intent saved (savedPaymentMethod reads it). */
  cards = new Map<string, SavedPaymentMethod>();
  /** How the next new charges answer: submitted, declined with a card error, or Stripe unreachable. */
  chargeMode: "submitted" | "unreachable" | { code: string; message: string } = "submitted";
  chargeDelayMs = 0;
  private seq = 0;

  async createCheckoutSession(input: CheckoutInput): Promise<CheckoutSession> {
    this.checkoutCalls.push(input);
    const id = `cs_test_${input.topUpId}`;
    return { id, url: `https://checkout.stripe.com/c/pay/${id}` };
  }

  async createSetupSession(input: SetupSessionInput): Promise<CheckoutSession> {
    this.setupCalls.push(input);
    const id = `cs_setup_${++this.seq}_${input.customerId}`;
    return { id, url: `https://checkout.stripe.com/c/setup/${id}` };
  }

  async savedPaymentMethod(setupIntentId: string): Promise<SavedPaymentMethod> {
    const card = this.cards.get(setupIntentId);
    if (!card) throw new Error(`No such setupintent: '${setupIntentId}'`);
    return card;
  }

  chargeSavedCard(input: OffSessionChargeInput): Promise<OffSessionCharge> {
    this.chargeCalls.push(input);
    const known = this.intents.get(input.topUpId);
    if (known) return known.answer;
    const mode = this.chargeMode;
    if (mode === "unreachable") return Promise.reject(new Error("connect ETIMEDOUT api.stripe.com"));
    const id = `pi_test_${input.topUpId}`;
    const delay = this.chargeDelayMs;
    const answer = (async (): Promise<OffSessionCharge> => {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (mode === "submitted") return { status: "submitted", paymentIntentId: id };
      return { status: "declined", paymentIntentId: id, reason: `${mode.message} (${mode.code})` };
    })();
    this.intents.set(input.topUpId, { id, input, answer });
    return answer;
  }
}

let eventSeq = 0;

/** A Stripe event around `object`, as Stripe sends it. */
export function stripeEvent(type: string, object: Record<string, unknown>) {
  return {
    id: `evt_test_${Date.now()}_${++eventSeq}`,
    object: "event",
    api_version: "2025-01-27",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

/** The event's payload and a Stripe-Signature header for it (the `stripe` package's test helper). */
export function signedEvent(event: object, secret: string) {
  const payload = JSON.stringify(event, null, 2);
  return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }) };
}

/** POSTs a signed event to /webhooks/stripe. */
export function deliverStripeEvent(event: object, secret: string) {
  const { payload, signature } = signedEvent(event, secret);
  return api("/webhooks/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  });
}
