"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, ExternalLink, Loader2 } from "lucide-react";
import * as React from "react";
import { toast } from "@/lib/toast";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import type { TopUp, TopUpPack } from "@/lib/api/contract/billing.schema";
import { ApiError } from "@/lib/api/errors";
import { billingQueries, createTopUp, perCreditPrice, smallestCoveringPack } from "@/lib/api/queries/billing";
import { idempotencyKeyFor } from "@/lib/api/query-client";
import { formatCredits, formatMoney } from "@/lib/format";
import { cn } from "@/lib/utils";
import { ErrorState } from "./error-state";
import { RequestIdCopy } from "./request-id-copy";

export type TopUpPromptProps = {
  /** The failed call's error: the dialog opens for an `insufficient_balance` and stays shut otherwise. */
  error: unknown;
  /**
   * Runs the blocked action again, offered once the balance covers it. The 402 was stored under the
   * first call's Idempotency-Key (a retry with that key replays the 402), so the re-run is a new call
   * with a new key — with TanStack Query, `mutation.mutate({...vars})`: a new variables object.
   */
  onResolved?: () => void;
  /** Called when the dialog closes without a re-run (e.g. to `mutation.reset()`). */
  onDismiss?: () => void;
  /** What the re-run button says, e.g. "Generate again". */
  resolvedLabel?: string;
};

/**
 * The insufficient_balance UI state: dialog "Top up credits" with what the action needs, what the
 * balance has and the shortfall; the smallest pack that covers it is preselected. Paying in test mode
 * credits at once; with Stripe, Checkout opens in a new tab and the dialog waits for the webhook. Then it
 * offers to run the blocked action again.
 */
export function TopUpPrompt({
  error,
  onResolved,
  onDismiss,
  resolvedLabel = "Run it again",
}: TopUpPromptProps) {
  const [dismissed, setDismissed] = React.useState<unknown>(null);
  const open = isInsufficientBalance(error) && error !== dismissed;

  const close = () => {
    setDismissed(error);
    onDismiss?.();
  };

  return (
    <Dialog open={open} onOpenChange={(next) => (next ? undefined : close())}>
      <DialogContent className="sm:max-w-xl">
        {open && isInsufficientBalance(error) ? (
          <PromptBody
            error={error}
            resolvedLabel={resolvedLabel}
            onResolved={
              onResolved
                ? () => {
                    setDismissed(error);
                    onResolved();
                  }
                : undefined
            }
            onClose={close}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

export function isInsufficientBalance(error: unknown): error is ApiError {
  return ApiError.is(error) && error.code === "insufficient_balance";
}

/** required / available from the 402's details (numbers by contract; anything else reads as 0). */
export function shortfallOf(error: ApiError) {
  const required = toCount(error.details.required);
  const available = toCount(error.details.available);
  return { required, available, shortfall: Math.max(0, required - available) };
}

const toCount = (v: unknown) =>
  typeof v === "number" && Number.isFinite(v) ? Math.max(0, Math.trunc(v)) : 0;

type Step =
  { kind: "choose" } | { kind: "checkout"; topUp: TopUp } | { kind: "paid"; topUp: TopUp; at: number };

function PromptBody({
  error,
  resolvedLabel,
  onResolved,
  onClose,
}: {
  error: ApiError;
  resolvedLabel: string;
  onResolved?: () => void;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const { required, available, shortfall } = shortfallOf(error);
  const packs = useQuery(billingQueries.packs());
  const [chosen, setChosen] = React.useState<string | null>(null);
  const [step, setStep] = React.useState<Step>({ kind: "choose" });
  const suggested = packs.data ? smallestCoveringPack(packs.data.data, shortfall) : undefined;
  const selected = packs.data?.data.find((p) => p.id === chosen) ?? suggested;

  const paid = React.useCallback(
    (topUp: TopUp) => {
      void queryClient.invalidateQueries({ queryKey: billingQueries.all() });
      toast.success(`Added ${formatCredits(topUp.credits)}`, {
        description: topUp.provider === "test" ? "Test mode: no payment was taken." : "Payment received.",
      });
      setStep({ kind: "paid", topUp, at: Date.now() });
    },
    [queryClient],
  );

  const buy = useMutation({
    mutationFn: (vars: { pack: string }) => createTopUp(vars, idempotencyKeyFor(vars)),
    onSuccess: (topUp) => {
      if (topUp.status === "succeeded") paid(topUp);
      else setStep({ kind: "checkout", topUp });
    },
  });

  return (
    <>
      <DialogHeader>
        <DialogTitle>Top up credits</DialogTitle>
        <DialogDescription>
          {step.kind === "paid"
            ? "Credits added."
            : "That needs more credits than your balance holds. Nothing was charged."}
        </DialogDescription>
      </DialogHeader>

      <dl className="grid grid-cols-3 gap-2 rounded-lg border bg-muted/40 p-3 text-center">
        <Figure label="Required" value={required} />
        <Figure label="Available" value={available} />
        <Figure label="Shortfall" value={shortfall} strong />
      </dl>
      <RequestIdCopy requestId={error.requestId} />

      {step.kind === "choose" ? (
        packs.isPending ? (
          <div className="flex flex-col gap-2" role="progressbar" aria-busy="true" aria-label="Loading packs">
            <Skeleton className="h-14 w-full" />
            <Skeleton className="h-14 w-full" />
          </div>
        ) : packs.isLoadingError ? (
          <ErrorState error={packs.error} onRetry={() => void packs.refetch()} />
        ) : (
          <PackChoice
            packs={packs.data.data}
            selected={selected?.id}
            suggested={suggested?.id}
            shortfall={shortfall}
            onSelect={setChosen}
            disabled={buy.isPending}
          />
        )
      ) : null}

      {step.kind === "checkout" ? <AwaitCheckout topUp={step.topUp} onPaid={paid} /> : null}

      {step.kind === "paid" ? (
        <PaidSummary
          topUp={step.topUp}
          paidAt={step.at}
          required={required}
          canResume={Boolean(onResolved)}
        />
      ) : null}

      {buy.error ? <ErrorState error={buy.error} /> : null}

      <DialogFooter>
        {step.kind === "paid" && onResolved ? (
          <>
            <Button type="button" variant="outline" onClick={onClose}>
              Not now
            </Button>
            <Button type="button" autoFocus onClick={onResolved}>
              {resolvedLabel}
            </Button>
          </>
        ) : step.kind === "paid" ? (
          <Button type="button" autoFocus onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            <Button type="button" variant="outline" onClick={onClose}>
              Cancel
            </Button>
            {step.kind === "choose" ? (
              <Button
                type="button"
                disabled={!selected || buy.isPending}
                onClick={() => selected && buy.mutate({ pack: selected.id })}
              >
                {buy.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
                {selected ? `Pay ${formatMoney(selected.price_cents, selected.currency)}` : "Pay"}
              </Button>
            ) : null}
          </>
        )}
      </DialogFooter>
    </>
  );
}

function Figure({ label, value, strong }: { label: string; value: number; strong?: boolean }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className={cn("text-sm tabular-nums sm:text-base", strong && "font-semibold")}>
        {formatCredits(value)}
      </dd>
    </div>
  );
}

function PackChoice({
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

/** Stripe: Checkout in a new tab (a link the person clicks, so no popup blocker); poll until the webhook lands. */
function AwaitCheckout({ topUp, onPaid }: { topUp: TopUp; onPaid: (topUp: TopUp) => void }) {
  const status = useQuery(billingQueries.topUp(topUp.id));
  const current = status.data ?? topUp;
  React.useEffect(() => {
    if (status.data?.status === "succeeded") onPaid(status.data);
  }, [status.data, onPaid]);

  if (current.status === "failed" || current.status === "canceled") {
    return (
      <p role="status" className="text-sm">
        The payment was {current.status === "failed" ? "declined" : "canceled"}; nothing was added. Close this
        and try again.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-3 rounded-lg border p-3 text-sm">
      <p>Finish paying {formatMoney(topUp.price_cents, topUp.currency)} in Stripe Checkout.</p>
      {topUp.checkout_url ? (
        <Button asChild variant="secondary" className="w-fit">
          <a href={topUp.checkout_url} target="_blank" rel="noopener noreferrer">
            Open Stripe Checkout
            <ExternalLink aria-hidden />
          </a>
        </Button>
      ) : null}
      <p role="status" className="flex items-center gap-2 text-muted-foreground">
        <Loader2 className="size-4 animate-spin" aria-hidden />
        Waiting for Stripe to confirm the payment…
      </p>
      {status.isLoadingError ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      ) : null}
    </div>
  );
}

function PaidSummary({
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
