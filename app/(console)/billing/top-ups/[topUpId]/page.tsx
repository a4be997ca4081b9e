import type { Metadata } from "next";
import { TopUpStatus } from "@/components/billing/top-up-status";

export const metadata: Metadata = { title: "Top-up" };

/** A top-up, and where Stripe Checkout returns (`?checkout=success|canceled`). */
export default async function TopUpPage({
  params,
  searchParams,
}: {
  params: Promise<{ topUpId: string }>;
  searchParams: Promise<{ checkout?: string | string[] }>;
}) {
  const [{ topUpId }, { checkout }] = await Promise.all([params, searchParams]);
  const outcome = checkout === "success" || checkout === "canceled" ? checkout : null;
  return <TopUpStatus topUpId={topUpId} checkout={outcome} />;
}
