"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CreditCard, Loader2, RefreshCw } from "lucide-react";
import * as React from "react";
import { cardLabel, SaveCardAction } from "@/components/billing/save-card";
import { ErrorState } from "@/components/errors/error-state";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, FieldControl, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ChoiceSelect } from "@/components/ui/choice-select";
import { Skeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import type { AutoRechargeSettings, AutoRechargeState, TopUpPack } from "@/lib/api/contract/billing.schema";
import { autoRechargePack } from "@/lib/api/contract/constants";
import { fieldErrors, toErrorUi } from "@/lib/api/error-ui";
import { billingQueries, saveAutoRecharge } from "@/lib/api/queries/billing";
import { idempotencyKeyFor } from "@/lib/api/query-client";
import { formatCredits, formatMoney } from "@/lib/format";
import { toast } from "@/lib/toast";

type Draft = { enabled: boolean; threshold: string; pack: string; capDollars: string };

const FIELDS = {
  threshold: "auto_recharge.threshold_credits",
  pack: "auto_recharge.pack",
  cap: "auto_recharge.monthly_cap_cents",
  enabled: "auto_recharge.enabled",
} as const;

function draftOf(state: AutoRechargeState, packs: TopUpPack[]): Draft {
  return {
    enabled: state.enabled,
    threshold: state.threshold_credits ? String(state.threshold_credits) : "",
    pack: state.pack ?? packs[0]?.id ?? "",
    capDollars: state.monthly_cap_cents ? String(state.monthly_cap_cents / 100) : "",
  };
}

/** The pack a stored setting names, without the test-mode trigger. */
function basePack(pack: string | null): string | null {
  return pack === null ? null : autoRechargePack(pack);
}

/** Checks the draft in the browser the way the API will; returns the body, or errors by field. */
/** "Starter: 1,000 credits for $10.00" — a pack as the picker shows it (its value and its items). */
function packLabel(p: TopUpPack): string {
  return `${p.name}: ${formatCredits(p.credits)} for ${formatMoney(p.price_cents, p.currency)}`;
}

function validate(
  draft: Draft,
  packs: TopUpPack[],
  storedPack: string | null,
): { body: AutoRechargeSettings } | { errors: Partial<Record<keyof typeof FIELDS, string>> } {
  const errors: Partial<Record<keyof typeof FIELDS, string>> = {};
  const threshold = Number(draft.threshold);
  if (draft.threshold.trim() === "" || !Number.isInteger(threshold) || threshold < 0)
    errors.threshold = "Enter a whole number of credits, 0 or more.";
  const cap = Number(draft.capDollars);
  const capCents = Math.round(cap * 100);
  if (
    draft.capDollars.trim() === "" ||
    !Number.isFinite(cap) ||
    cap < 0 ||
    Math.abs(cap * 100 - capCents) > 1e-6
  )
    errors.cap = "Enter an amount in dollars, like 50 or 49.99.";
  const pack = packs.find((p) => p.id === draft.pack);
  if (!pack) errors.pack = "Choose a pack.";
  else if (draft.enabled && !errors.cap && capCents < pack.price_cents)
    errors.cap = `At least the pack's price (${formatMoney(pack.price_cents, pack.currency)}), or no recharge could run.`;
  if (Object.keys(errors).length) return { errors };
  // A stored test trigger on the same pack stays (the console never adds or removes one but through Fix).
  const keepsTrigger =
    storedPack !== null && basePack(storedPack) === draft.pack && storedPack !== draft.pack;
  return {
    body: {
      enabled: draft.enabled,
      threshold_credits: threshold,
      pack: keepsTrigger ? storedPack! : draft.pack,
      monthly_cap_cents: capCents,
    },
  };
}

/**
 * Auto-recharge: its state this month (spent against the cap, a recharge in flight) for everyone,
 * and for the owner the form that sets it.
 */
export function AutoRechargeCard({ canEdit }: { canEdit: boolean }) {
  const settings = useQuery(billingQueries.settings());
  const packs = useQuery(billingQueries.packs());

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Auto-recharge</h2>
        </CardTitle>
        <CardDescription>
          Buy a pack automatically when a charge leaves your balance under a threshold, up to a monthly cap.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        {settings.isPending || packs.isPending ? (
          <div
            className="flex flex-col gap-3"
            role="progressbar"
            aria-busy="true"
            aria-label="Loading auto-recharge"
          >
            <Skeleton className="h-5 w-72" />
            <Skeleton className="h-9 w-full" />
          </div>
        ) : settings.isLoadingError || packs.isLoadingError ? (
          <ErrorState
            error={settings.error ?? packs.error}
            onRetry={() => void Promise.all([settings.refetch(), packs.refetch()])}
          />
        ) : (
          <>
            <AutoRechargeSummary state={settings.data.auto_recharge} packs={packs.data.data} />
            {settings.data.auto_recharge.provider === "stripe" ? (
              <SavedCard state={settings.data.auto_recharge} canEdit={canEdit} />
            ) : null}
            {canEdit ? (
              <AutoRechargeForm
                // A new stored setting (saved here, or fixed from the banner) resets the form to it.
                key={JSON.stringify([
                  settings.data.auto_recharge.enabled,
                  settings.data.auto_recharge.pack,
                  settings.data.auto_recharge.threshold_credits,
                  settings.data.auto_recharge.monthly_cap_cents,
                ])}
                state={settings.data.auto_recharge}
                packs={packs.data.data}
              />
            ) : (
              <p className="text-sm text-muted-foreground">
                Only the account owner can change auto-recharge.
              </p>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}

/** With Stripe: the card auto-recharge charges, and Save a card / Replace card. */
function SavedCard({ state, canEdit }: { state: AutoRechargeState; canEdit: boolean }) {
  const card = state.payment_method;
  return (
    <div
      role="group"
      aria-label="Payment method"
      className="flex flex-col gap-2 rounded-md border p-3 sm:flex-row sm:items-center sm:justify-between"
    >
      <p className="flex items-center gap-2 text-sm">
        <CreditCard className="size-4 shrink-0 text-muted-foreground" aria-hidden />
        {card ? (
          <span>
            Charged to <strong>{cardLabel(card)}</strong>, off-session, when a recharge runs.
          </span>
        ) : (
          <span className="text-muted-foreground">
            No card saved. Auto-recharge charges a saved card: save one to turn it on.
          </span>
        )}
      </p>
      {canEdit ? <SaveCardAction label={card ? "Replace card" : "Save a card"} resume={false} /> : null}
    </div>
  );
}

function AutoRechargeSummary({ state, packs }: { state: AutoRechargeState; packs: TopUpPack[] }) {
  const pack = packs.find((p) => p.id === basePack(state.pack));
  const currency = pack?.currency ?? "usd";
  const cap = state.monthly_cap_cents;
  const percent = cap > 0 ? Math.min(100, Math.round((state.month_spent_cents / cap) * 100)) : 0;
  return (
    <div className="flex flex-col gap-3" aria-label="Auto-recharge status" role="group">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <Badge variant={state.enabled ? "success" : "outline"}>{state.enabled ? "On" : "Off"}</Badge>
        {state.enabled && pack ? (
          <span>
            Under {formatCredits(state.threshold_credits)}, buy {pack.name} ({formatCredits(pack.credits)} for{" "}
            {formatMoney(pack.price_cents, pack.currency)}).
          </span>
        ) : (
          <span className="text-muted-foreground">
            {state.disabled_reason
              ? `Turned off after a failed charge: ${state.disabled_reason}`
              : "Your balance is never topped up automatically."}
          </span>
        )}
        {state.in_flight ? (
          <span role="status" className="inline-flex items-center gap-1 text-muted-foreground">
            <RefreshCw className="size-3.5 animate-spin" aria-hidden /> Recharging…
          </span>
        ) : null}
      </p>
      {cap > 0 || state.month_spent_cents > 0 ? (
        <div className="flex flex-col gap-1.5">
          <div className="flex justify-between text-sm">
            <span id="auto-recharge-month">This month ({state.month})</span>
            <span className="tabular-nums">
              {formatMoney(state.month_spent_cents, currency)} of {formatMoney(cap, currency)}
            </span>
          </div>
          <div
            role="meter"
            aria-labelledby="auto-recharge-month"
            aria-valuemin={0}
            aria-valuemax={cap}
            aria-valuenow={Math.min(state.month_spent_cents, cap)}
            aria-valuetext={`${formatMoney(state.month_spent_cents, currency)} of ${formatMoney(cap, currency)} cap`}
            className="h-2 overflow-hidden rounded-full bg-muted"
          >
            <div
              className="h-full rounded-full bg-primary transition-[width]"
              style={{ width: `${percent}%` }}
            />
          </div>
        </div>
      ) : null}
    </div>
  );
}

function AutoRechargeForm({ state, packs }: { state: AutoRechargeState; packs: TopUpPack[] }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = React.useState<Draft>(() => draftOf(state, packs));
  const [local, setLocal] = React.useState<Partial<Record<keyof typeof FIELDS, string>>>({});

  const save = useMutation({
    mutationFn: (body: AutoRechargeSettings) => saveAutoRecharge(body, idempotencyKeyFor(body)),
    onSuccess: (data) => {
      queryClient.setQueryData(billingQueries.settings().queryKey, data);
      const a = data.auto_recharge;
      toast.success("Auto-recharge saved", {
        description: a.enabled
          ? `Under ${formatCredits(a.threshold_credits)}, one pack is bought (at most ${formatMoney(a.monthly_cap_cents, "usd")} a month).`
          : "Auto-recharge is off.",
      });
    },
  });

  const server = save.error ? fieldErrors(save.error) : {};
  const errorFor = (field: keyof typeof FIELDS) => local[field] ?? server[FIELDS[field]];
  const serverFieldShown = Object.values(FIELDS).some((f) => server[f]);
  const otherError = save.error && !serverFieldShown ? save.error : null;
  const footer = save.error ? (
    <RequestIdCopy requestId={toErrorUi(save.error).requestId} code={toErrorUi(save.error).code} />
  ) : null;
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setLocal({});
    if (save.error) save.reset();
  };

  return (
    <form
      aria-label="Auto-recharge settings"
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const checked = validate(draft, packs, state.pack);
        if ("errors" in checked) {
          setLocal(checked.errors);
          return;
        }
        setLocal({});
        save.mutate(checked.body);
      }}
    >
      <div className="flex items-center gap-3">
        <Switch
          id="auto-recharge-enabled"
          checked={draft.enabled}
          onCheckedChange={(enabled) => set({ enabled })}
          aria-describedby={errorFor("enabled") ? "auto-recharge-enabled-error" : undefined}
        />
        <Label htmlFor="auto-recharge-enabled">Recharge automatically</Label>
      </div>
      {errorFor("enabled") ? (
        <p id="auto-recharge-enabled-error" className="text-sm text-destructive">
          {errorFor("enabled")}
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field error={errorFor("threshold")}>
          <FieldLabel>When the balance is under (credits)</FieldLabel>
          <FieldControl>
            <Input
              inputMode="numeric"
              value={draft.threshold}
              onChange={(e) => set({ threshold: e.target.value })}
            />
          </FieldControl>
          <FieldError footer={local.threshold ? null : footer} />
        </Field>
        <Field error={errorFor("pack")}>
          <FieldLabel>Buy this pack</FieldLabel>
          <FieldControl>
            <ChoiceSelect
              className="w-full"
              value={basePack(draft.pack) ?? ""}
              onValueChange={(pack) => set({ pack })}
              placeholder="Choose a pack"
              choices={packs.map((p) => ({ value: p.id, label: packLabel(p) }))}
            />
          </FieldControl>
          <FieldError footer={local.pack ? null : footer} />
        </Field>
        <Field error={errorFor("cap")} description="Per UTC calendar month.">
          <FieldLabel>Monthly cap (USD)</FieldLabel>
          <FieldControl>
            <Input
              inputMode="decimal"
              value={draft.capDollars}
              onChange={(e) => set({ capDollars: e.target.value })}
            />
          </FieldControl>
          <FieldDescription />
          <FieldError footer={local.cap ? null : footer} />
        </Field>
      </div>
      <div>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
          Save auto-recharge
        </Button>
      </div>
      {otherError ? <ErrorState error={otherError} /> : null}
    </form>
  );
}
