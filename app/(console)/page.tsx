import type { Metadata } from "next";
import { LowBalanceForm } from "@/components/billing/low-balance-form";
import { Overview } from "@/components/overview/overview";
import { currentSession } from "@/lib/server/auth/current";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const session = await currentSession();
  const hasCustomer = Boolean(session?.customer);
  return (
    <div className="flex flex-col gap-6">
      <Overview hasCustomer={hasCustomer} />
      {hasCustomer && session?.user.role === "owner" ? <LowBalanceForm /> : null}
    </div>
  );
}
