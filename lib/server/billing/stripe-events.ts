import { getDb } from "../db/client";
import { stripeEvents } from "../db/schema";
import { applyRechargePaymentEvent } from "./auto-recharge";
import { saveCardFromSetupSession } from "./saved-card";
import type { VerifiedEvent } from "./stripe";
import { closeCheckoutSession, settleCheckoutSession } from "./top-ups";

export type WebhookOutcome = { duplicate: boolean; credited: string | null };

const PAID_STATUSES = new Set(["paid", "no_payment_required"]);

/**
 * Applies one verified Stripe event, exactly once: the event id is claimed in stripe_events in the same
 * transaction as its effect (a redelivery finds it and does nothing), and a top-up moves out of
 * `pending` by a guarded UPDATE, with the ledger's unique top-up index as the last guard. Handled: a
 * Checkout top-up's session events, a setup-mode session (the card auto-recharge charges), and an
 * auto-recharge's payment_intent.succeeded / payment_intent.payment_failed.
 */
export async function applyStripeEvent(event: VerifiedEvent): Promise<WebhookOutcome> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (!claimed.length) return { duplicate: true, credited: null };

    const session = event.object;
    switch (event.type) {
      case "checkout.session.completed":
        if (session.mode === "setup") {
          await saveCardFromSetupSession(tx, session);
          return noEffect();
        }
        if (!PAID_STATUSES.has(String(session.payment_status))) return noEffect(); // async: wait
        return { duplicate: false, credited: await settleCheckoutSession(tx, session) };
      case "checkout.session.async_payment_succeeded":
        return { duplicate: false, credited: await settleCheckoutSession(tx, session) };
      case "checkout.session.async_payment_failed":
        await closeCheckoutSession(tx, session, "failed");
        return noEffect();
      case "checkout.session.expired":
        await closeCheckoutSession(tx, session, "canceled");
        return noEffect();
      // An auto-recharge's off-session PaymentIntent (auto-recharge.ts).
      case "payment_intent.succeeded":
      case "payment_intent.payment_failed":
        return { duplicate: false, credited: await applyRechargePaymentEvent(tx, event.type, event.object) };
      default:
        return noEffect();
    }
  });
}

const noEffect = (): WebhookOutcome => ({ duplicate: false, credited: null });
