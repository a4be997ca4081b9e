import type { Metadata } from "next";
import { currentSession } from "@/lib/server/auth/current";
import { LowBalanceForm, Overview } from "./island";

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
