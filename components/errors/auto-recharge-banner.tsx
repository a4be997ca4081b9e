"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CreditCard, Loader2 } from "lucide-react";
import Link from "next/link";
import * as React from "react";
import { ErrorState } from "@/components/errors/error-state";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import type { AutoRechargeState } from "@/lib/api/contract/billing.schema";
import { AUTO_RECHARGE_FAIL_SUFFIX, autoRechargePack } from "@/lib/api/contract/constants";
import { billingQueries, saveAutoRecharge } from "@/lib/api/queries/billing";
import { idempotencyKeyFor } from "@/lib/api/query-client";
import { lazyNamed } from "@/lib/lazy";
import { toast } from "@/lib/toast";

// The banner is in every page's shell, and shows only after a failed charge: its Stripe action loads then.
const SaveCardAction = lazyNamed(() => import("@/components/billing/save-card"), "SaveCardAction");

/**
 * Shown on every console page while auto-recharge is off because a charge failed: the reason, and
 * for the owner **Fix payment method**. With Stripe it opens Checkout in setup mode for a new card
 * (auto-recharge comes back on when Stripe's webhook saves it). In the built-in test mode there is no
 * card to update: the fix confirms, then turns auto-recharge on again with the pack minus its `!fail`
 * test trigger.
 */
export function AutoRechargeBanner({ canFix }: { canFix: boolean }) {
  const settings = useQuery(billingQueries.settings());
  const state = settings.data?.auto_recharge;
  if (!state || state.enabled || !state.disabled_reason) return null;
  return (
    <div
      role="alert"
      aria-label="Auto-recharge off"
      className="flex flex-col gap-2 border-b border-destructive/40 bg-destructive/10 px-4 py-2.5 text-sm sm:flex-row sm:items-center sm:justify-between"
    >
      <p className="flex items-center gap-2">
        <CreditCard className="size-4 shrink-0 text-destructive" aria-hidden />
        <span>
          <strong>Auto-recharge is off:</strong> a charge failed. {state.disabled_reason}
        </span>
      </p>
      {canFix && state.provider === "stripe" ? (
        // A new card through Stripe Checkout; auto-recharge comes back on once Stripe confirms it.
        <React.Suspense fallback={null}>
          <SaveCardAction label="Fix payment method" resume />
        </React.Suspense>
      ) : canFix && state.pack ? (
        <FixPaymentMethod state={state} pack={state.pack} />
      ) : (
        <Link
          href="/billing"
          className="w-fit shrink-0 rounded-md border bg-background px-3 py-1 font-medium hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
        >
          View billing
        </Link>
      )}
    </div>
  );
}

function FixPaymentMethod({ state, pack }: { state: AutoRechargeState; pack: string }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = React.useState(false);
  const body = {
    enabled: true,
    threshold_credits: state.threshold_credits,
    pack: autoRechargePack(pack),
    monthly_cap_cents: state.monthly_cap_cents,
  };
  const fix = useMutation({
    mutationFn: () => saveAutoRecharge(body, idempotencyKeyFor(body)),
    onSuccess: (data) => {
      queryClient.setQueryData(billingQueries.settings().queryKey, data);
      setOpen(false);
      toast.success("Auto-recharge is on again", {
        description: "The next charge that leaves your balance under the threshold buys your pack.",
      });
    },
  });
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) fix.reset();
      }}
    >
      <AlertDialogTrigger asChild>
        <Button size="sm" variant="outline" className="w-fit shrink-0">
          Fix payment method
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Fix payment method</AlertDialogTitle>
          <AlertDialogDescription>
            This console runs in test mode: there is no card to update. Confirm to use a working test card and
            turn auto-recharge back on
            {pack !== body.pack
              ? ` (the pack ${body.pack}, without the ${AUTO_RECHARGE_FAIL_SUFFIX} trigger)`
              : ""}
            .
          </AlertDialogDescription>
        </AlertDialogHeader>
        {fix.error ? <ErrorState error={fix.error} /> : null}
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <Button onClick={() => fix.mutate()} disabled={fix.isPending}>
            {fix.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
            Turn auto-recharge on
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
