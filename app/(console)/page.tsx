import type { Metadata } from "next";
import { can } from "@/lib/api/contract/roles";
import { LowBalanceForm } from "@/components/billing/low-balance-form";
import { Overview } from "@/components/overview/overview";
import { billingQueries } from "@/lib/api/queries/billing";
import { productQueries } from "@/lib/api/queries/products";
import { currentSession } from "@/lib/server/auth/current";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const session = await currentSession();
  const hasCustomer = Boolean(session?.customer);
  const queries = hasCustomer
    ? [billingQueries.balance(), billingQueries.settings(), productQueries.list()]
    : [productQueries.list()];
  return (
    <Prefetch queries={queries}>
      <div className="flex flex-col gap-6">
        <Overview hasCustomer={hasCustomer} />
        {hasCustomer && session && can(session.user.role, "billing.write") ? <LowBalanceForm /> : null}
      </div>
    </Prefetch>
  );
}
