"use client";

import { BellRing, Loader2 } from "lucide-react";
import * as React from "react";
import { ErrorState } from "./error-state";
import { RequestIdCopy } from "./request-id-copy";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, FieldControl, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import type { SpendAlert, SpendState } from "@/lib/api/contract/billing.schema";
import { fieldErrors, toErrorUi } from "@/lib/api/error-ui";
import { formatCredits } from "@/lib/format";

/**
 * A monthly credit limit (the account's on Billing, a key's on its page): this month's spend against
 * it as a meter, the usage alerts still standing, and — for who may change it — the limit's form.
 * The features pass their own state and save mutation.
 */

const MAX_LIMIT = 1_000_000_000;

export function limitSentence(spend: SpendState, whose: "account" | "key"): string {
  return spend.monthly_credit_limit === null
    ? `No monthly limit on this ${whose}.`
    : `At most ${formatCredits(spend.monthly_credit_limit)} a month; ${formatCredits(spend.month_spent_credits)} spent so far.`;
}

export type SaveMutation = {
  mutate: (limit: number | null) => void;
  isPending: boolean;
  error: unknown;
  reset: () => void;
};

export function SpendLimitCard({
  title,
  description,
  state,
  pending,
  loadError,
  onRetry,
  alerts,
  canEdit,
  save,
  fieldId,
}: {
  title: string;
  description: string;
  state: SpendState | undefined;
  pending: boolean;
  loadError: unknown;
  onRetry?: () => void;
  alerts: SpendAlert[];
  canEdit: boolean;
  save: SaveMutation;
  fieldId: string;
}) {
  const [value, setValue] = React.useState("");
  const [local, setLocal] = React.useState<string | null>(null);
  const serverField = save.error ? fieldErrors(save.error).monthly_credit_limit : undefined;
  const fieldError = local ?? (serverField ? `${toErrorUi(save.error).title}: ${serverField}` : null);
  const otherError = save.error && !serverField ? save.error : null;

  return (
    <Card id="spend-limit" className="scroll-mt-20">
      <CardHeader>
        <CardTitle>
          <h2>{title}</h2>
        </CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {pending ? (
          <Skeleton className="h-16 w-full" />
        ) : loadError ? (
          <ErrorState error={loadError} onRetry={onRetry} />
        ) : state ? (
          <>
            <SpendMeter state={state} id={`${fieldId}-month`} />
            <SpendAlerts alerts={alerts} />
            {canEdit ? (
              <form
                className="flex flex-col gap-3"
                onSubmit={(event) => {
                  event.preventDefault();
                  const n = Number(value);
                  if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > MAX_LIMIT) {
                    setLocal(`Enter a whole number of credits from 0 to ${formatCredits(MAX_LIMIT)}.`);
                    return;
                  }
                  setLocal(null);
                  save.mutate(n);
                }}
              >
                <Field
                  id={fieldId}
                  error={fieldError}
                  description="Refunds of failed or canceled jobs give their credits back to the month they were charged in."
                >
                  <FieldLabel>Monthly credit limit (credits)</FieldLabel>
                  <div className="flex flex-wrap gap-2">
                    <FieldControl>
                      <Input
                        inputMode="numeric"
                        className="w-48"
                        placeholder={
                          state.monthly_credit_limit === null
                            ? "No limit"
                            : String(state.monthly_credit_limit)
                        }
                        value={value}
                        onChange={(e) => {
                          setValue(e.target.value);
                          setLocal(null);
                        }}
                      />
                    </FieldControl>
                    <Button type="submit" disabled={save.isPending || value === ""}>
                      {save.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
                      Save limit
                    </Button>
                    {state.monthly_credit_limit !== null ? (
                      <Button
                        type="button"
                        variant="outline"
                        disabled={save.isPending}
                        onClick={() => {
                          setLocal(null);
                          setValue("");
                          save.mutate(null);
                        }}
                      >
                        Remove limit
                      </Button>
                    ) : null}
                  </div>
                  <FieldDescription />
                  <FieldError
                    footer={
                      serverField ? (
                        <RequestIdCopy
                          requestId={toErrorUi(save.error).requestId}
                          code={toErrorUi(save.error).code}
                        />
                      ) : null
                    }
                  />
                </Field>
                {otherError ? <ErrorState error={otherError} /> : null}
              </form>
            ) : null}
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}

/** This month's spend against the limit, as a meter (or the spend alone without a limit). */
export function SpendMeter({ state, id }: { state: SpendState; id: string }) {
  const limit = state.monthly_credit_limit;
  const spent = state.month_spent_credits;
  if (limit === null) {
    return (
      <p className="text-sm">
        <span className="font-medium">No limit.</span>{" "}
        <span className="text-muted-foreground">
          {formatCredits(spent)} spent this month ({state.month}).
        </span>
      </p>
    );
  }
  const percent = limit === 0 ? 100 : Math.min(100, Math.round((spent / limit) * 100));
  const over = spent >= limit;
  return (
    <div className="flex flex-col gap-1.5">
      <div className="flex justify-between gap-2 text-sm">
        <span id={id}>This month ({state.month})</span>
        <span className="tabular-nums">
          {formatCredits(spent)} of {formatCredits(limit)}
          {over ? <span className="ml-2 font-medium text-destructive">Limit reached</span> : null}
        </span>
      </div>
      <div
        role="meter"
        aria-labelledby={id}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(spent, limit)}
        aria-valuetext={`${formatCredits(spent)} of ${formatCredits(limit)} limit (${percent}%)`}
        className="h-2 overflow-hidden rounded-full bg-muted"
      >
        <div
          className={
            over
              ? "h-full rounded-full bg-destructive"
              : percent >= 80
                ? "h-full rounded-full bg-warning"
                : "h-full rounded-full bg-primary"
          }
          style={{ width: `${percent}%` }}
        />
      </div>
    </div>
  );
}

/** The usage alerts still standing this month for one limit (the highest threshold first). */
function SpendAlerts({ alerts }: { alerts: SpendAlert[] }) {
  const standing = alerts.filter((a) => a.active).sort((a, b) => b.threshold - a.threshold);
  const top = standing[0];
  if (!top) return null;
  return (
    <div
      role="status"
      className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning/10 p-3 text-sm"
    >
      <BellRing className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p>
        <strong>{top.threshold}% of the monthly limit used</strong> — {formatCredits(top.month_spent_credits)}{" "}
        of {formatCredits(top.monthly_credit_limit)} when it was reached
        {standing.length > 1
          ? ` (alerts this month: ${standing.map((a) => `${a.threshold}%`).join(", ")})`
          : ""}
        .
      </p>
    </div>
  );
}
