import { eq } from "drizzle-orm";
import type { PaymentMethodSetup, PaymentMethodSetupCreate } from "@/lib/api/contract/billing.schema";
import { autoRechargePack } from "@/lib/api/contract/constants";
import { getDb, type Tx } from "../db/client";
import { customers } from "../db/schema";
import { DomainError } from "../errors";
import { autoRechargeColumns } from "./auto-recharge";
import { checkoutGateway, paymentProviderError } from "./stripe";

/**
 * The card auto-recharge charges, with Stripe: a Checkout Session in `setup` mode collects it, and its
 * signed `checkout.session.completed` webhook stores the Stripe customer and the payment method.
 */

/** POST /billing/payment-method: opens the setup-mode Checkout Session (Stripe only). */
export async function startPaymentMethodSetup(
  customerId: string,
  body: PaymentMethodSetupCreate,
  appOrigin: string,
): Promise<PaymentMethodSetup> {
  const gateway = checkoutGateway();
  if (!gateway) {
    const message =
      "There is no card to save in the built-in test mode: auto-recharge's charges succeed at once (or fail by the pack's !fail trigger).";
    throw new DomainError("invalid_request", { message, details: { fields: [{ path: "body", message }] } });
  }
  const db = await getDb();
  const [row] = await db
    .select({ stripeCustomerId: customers.stripeCustomerId })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (!row) throw new DomainError("not_found");
  try {
    return await gateway.createSetupSession({
      customerId,
      stripeCustomerId: row.stripeCustomerId,
      currency: "usd",
      successUrl: `${appOrigin}/billing?payment_method=saved`,
      cancelUrl: `${appOrigin}/billing?payment_method=canceled`,
      resumeAutoRecharge: body.resume_auto_recharge === true,
    });
  } catch (error) {
    throw paymentProviderError(error);
  }
}

const idOf = (value: unknown): string | null =>
  typeof value === "string"
    ? value
    : value && typeof value === "object" && typeof (value as { id?: unknown }).id === "string"
      ? (value as { id: string }).id
      : null;

/**
 * A completed setup-mode Checkout Session (inside the webhook's transaction, which claimed the event):
 * stores the Stripe customer and the card its SetupIntent saved, and — when **Fix payment method**
 * opened it — turns auto-recharge back on with its stored setting. Returns whether a card was saved.
 * Reading the card is a call to Stripe: if it fails the webhook answers 502 and nothing is kept, so
 * Stripe's redelivery runs it again.
 */
export async function saveCardFromSetupSession(tx: Tx, session: Record<string, unknown>): Promise<boolean> {
  const metadata = (session.metadata ?? {}) as Record<string, unknown>;
  const customerId =
    typeof metadata.customer_id === "string" ? metadata.customer_id : idOf(session.client_reference_id);
  const setupIntentId = idOf(session.setup_intent);
  const stripeCustomerId = idOf(session.customer);
  const gateway = checkoutGateway();
  if (!customerId || !setupIntentId || !stripeCustomerId || !gateway) {
    console.error(
      JSON.stringify({
        level: "error",
        msg: "setup session without a customer, setup intent or configured gateway; no card saved",
        session_id: session.id,
      }),
    );
    return false;
  }
  let card;
  try {
    card = await gateway.savedPaymentMethod(setupIntentId);
  } catch (error) {
    throw paymentProviderError(error);
  }
  const [saved] = await tx
    .update(customers)
    .set({
      stripeCustomerId,
      paymentMethodId: card.id,
      paymentMethodBrand: card.brand,
      paymentMethodLast4: card.last4,
    })
    .where(eq(customers.id, customerId))
    .returning();
  if (!saved) return false;
  if (metadata.resume_auto_recharge === "1" && saved.autoRechargePack && !saved.autoRechargeEnabled) {
    try {
      const columns = await autoRechargeColumns(tx, customerId, {
        enabled: true,
        threshold_credits: saved.autoRechargeThreshold,
        pack: autoRechargePack(saved.autoRechargePack),
        monthly_cap_cents: saved.autoRechargeCapCents,
      });
      await tx.update(customers).set(columns).where(eq(customers.id, customerId));
    } catch (error) {
      // The stored setting no longer holds (the pack was retired, the cap is under its price): the card
      // is saved and auto-recharge stays off with its reason, for the customer to set again.
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return true;
}
