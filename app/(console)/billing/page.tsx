import type { Metadata } from "next";
import { can } from "@/lib/api/contract/roles";
import { BillingView } from "@/components/billing/billing-view";
import { billingQueries, USAGE_DAYS } from "@/lib/api/queries/billing";
import { currentSession } from "@/lib/server/auth/current";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingPage() {
  const session = await currentSession();
  if (!session?.customer) {
    return (
      <div className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Billing</h1>
        <p className="text-sm text-muted-foreground">
          Billing belongs to customer accounts; this account has none.
        </p>
      </div>
    );
  }
  const queries = [
    billingQueries.balance(),
    billingQueries.settings(),
    billingQueries.packs(),
    billingQueries.usage(USAGE_DAYS),
    billingQueries.ledger(null),
  ];
  return (
    <Prefetch queries={queries}>
      <BillingView canEditSettings={can(session.user.role, "billing.write")} />
    </Prefetch>
  );
}
