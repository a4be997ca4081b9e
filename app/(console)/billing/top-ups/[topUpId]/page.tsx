import type { Metadata } from "next";
import { TopUpStatus } from "@/components/billing/top-up-status";
import { billingQueries } from "@/lib/api/queries/billing";
import { Prefetch } from "@/lib/server/console/prefetch";

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
  return (
    <Prefetch queries={[billingQueries.topUp(topUpId)]}>
      <TopUpStatus topUpId={topUpId} checkout={outcome} />
    </Prefetch>
  );
}
