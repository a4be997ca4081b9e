import { AutoRechargeCard } from "./auto-recharge-card";
import { BalanceCard } from "./balance-card";
import { LedgerCard } from "./ledger-card";
import { LowBalanceForm } from "./low-balance-form";
import { PacksCard } from "./packs-card";
import { AccountSpendLimitCard } from "./spend-limit-card";
import { UsageCard } from "./usage-card";

/** /billing: the balance, packs, usage and the ledger; the owner also sets the low-balance warning. */
export function BillingView({ canEditSettings }: { canEditSettings: boolean }) {
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Billing</h1>
        <p className="text-sm text-muted-foreground">Your credits, how you spend them, and every movement.</p>
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-1">
          <BalanceCard />
        </div>
        <div className="lg:col-span-2">
          <PacksCard canBuy={canEditSettings} />
        </div>
      </div>
      <AutoRechargeCard canEdit={canEditSettings} />
      <AccountSpendLimitCard canEdit={canEditSettings} />
      <UsageCard />
      <LedgerCard />
      {canEditSettings ? <LowBalanceForm /> : null}
    </div>
  );
}
