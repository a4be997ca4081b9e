import type { Metadata } from "next";
import { currentSession } from "@/lib/server/auth/current";
import { BillingView } from "./island";

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
  return <BillingView canEditSettings={session.user.role === "owner"} />;
}
