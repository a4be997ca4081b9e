"use client";

import { useQuery } from "@tanstack/react-query";
import { CheckCircle2 } from "lucide-react";
import * as React from "react";
import type { TopUp, TopUpPack } from "@/lib/api/contract/billing.schema";
import { billingQueries, perCreditPrice } from "@/lib/api/queries/billing";
import { formatCredits, formatMoney } from "@/lib/format";
import { cn } from "@/lib/utils";

/** The top-up prompt's pieces: the required/available/shortfall figures, the pack choice, the receipt. */

export function Figure({ label, value, strong }: { label: string; value: number; strong?: boolean }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className={cn("text-sm tabular-nums sm:text-base", strong && "font-semibold")}>
        {formatCredits(value)}
      </dd>
    </div>
  );
}

export function PackChoice({
  packs,
  selected,
  suggested,
  shortfall,
  onSelect,
  disabled,
}: {
  packs: TopUpPack[];
  selected: string | undefined;
  suggested: string | undefined;
  shortfall: number;
  onSelect: (id: string) => void;
  disabled: boolean;
}) {
  const name = React.useId();
  if (!packs.length) return <p className="text-sm text-muted-foreground">No packs are on sale right now.</p>;
  return (
    <fieldset className="flex flex-col gap-2" disabled={disabled}>
      <legend className="mb-2 text-sm font-medium">Choose a pack</legend>
      {packs.map((pack) => {
        const covers = pack.credits >= shortfall;
        return (
          <label
            key={pack.id}
            className={cn(
              "flex cursor-pointer items-center gap-3 rounded-lg border p-3 text-sm transition-colors hover:bg-accent/50 has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
              selected === pack.id && "border-primary bg-accent/40",
            )}
          >
            <input
              type="radio"
              name={name}
              value={pack.id}
              checked={selected === pack.id}
              onChange={() => onSelect(pack.id)}
              className="size-4 accent-primary"
            />
            <span className="flex flex-1 flex-col">
              <span className="font-medium">
                {pack.name}: {formatCredits(pack.credits)}
              </span>
              <span className="text-xs text-muted-foreground">
                {perCreditPrice(pack)} per credit
                {pack.id === suggested && covers ? " · smallest pack that covers it" : ""}
                {!covers ? " · does not cover the shortfall" : ""}
              </span>
            </span>
            <span className="font-medium tabular-nums">{formatMoney(pack.price_cents, pack.currency)}</span>
          </label>
        );
      })}
    </fieldset>
  );
}

/** After paying: what was added, the balance read after it, and whether the blocked action can run. */
export function PaidSummary({
  topUp,
  paidAt,
  required,
  canResume,
}: {
  topUp: TopUp;
  paidAt: number;
  required: number;
  canResume: boolean;
}) {
  const balance = useQuery(billingQueries.balance());
  // Only a balance read after the payment says anything about it; the cached one is the old balance.
  const current = balance.data && balance.dataUpdatedAt >= paidAt ? balance.data : undefined;
  const enough = current ? current.credits >= required : null;
  return (
    <div
      role="status"
      className="flex items-start gap-3 rounded-lg border border-success/40 bg-success/10 p-3 text-sm"
    >
      <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
      <div className="flex flex-col gap-1">
        <p className="font-medium">Added {formatCredits(topUp.credits)}.</p>
        <p>
          {current ? (
            <>
              Your balance is now <span className="tabular-nums">{formatCredits(current.credits)}</span>.
            </>
          ) : (
            "Reading your new balance…"
          )}
          {enough === false ? " That is still short of what the action needs; top up again." : ""}
          {enough && canResume ? " You can run the blocked action now." : ""}
        </p>
      </div>
    </div>
  );
}
