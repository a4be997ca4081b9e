"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import * as React from "react";
import { toast } from "@/lib/toast";
import { ErrorState } from "@/components/errors/error-state";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Field, FieldControl, FieldError, FieldLabel } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";
import { apiFetch } from "@/lib/api/client";
import { fieldErrors, toErrorUi } from "@/lib/api/error-ui";
import { BillingSettingsSchema, billingQueries } from "@/lib/api/queries/billing";
import { idempotencyKeyFor } from "@/lib/api/query-client";
import { formatCredits } from "@/lib/format";

/** The low-balance threshold: a warning shows on every page when the balance drops under it. */
export function LowBalanceForm() {
  const queryClient = useQueryClient();
  const settings = useQuery(billingQueries.settings());
  const [value, setValue] = React.useState<string>("");

  const save = useMutation({
    mutationFn: (vars: { low_balance_credits: number }) =>
      apiFetch("/billing/settings", BillingSettingsSchema, {
        method: "PATCH",
        json: vars,
        idempotencyKey: idempotencyKeyFor(vars),
      }),
    onSuccess: (data) => {
      queryClient.setQueryData(billingQueries.settings().queryKey, data);
      setValue("");
      toast.success("Low-balance warning saved", {
        description: `You will be warned under ${formatCredits(data.low_balance_credits)}.`,
      });
    },
  });

  const fieldError = save.error ? fieldErrors(save.error).low_balance_credits : undefined;
  const otherError = save.error && !fieldError ? save.error : null;

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Low-balance warning</h2>
        </CardTitle>
        <CardDescription>
          {settings.data
            ? `Currently ${formatCredits(settings.data.low_balance_credits)}.`
            : "Warn me when my balance drops under a threshold."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {settings.isPending ? (
          <Skeleton className="h-9 w-64" />
        ) : settings.isLoadingError ? (
          <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
        ) : (
          <form
            className="flex flex-col gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              save.mutate({ low_balance_credits: Number(value) });
            }}
          >
            <Field
              id="low-balance"
              error={fieldError ? `${toErrorUi(save.error).title}: ${fieldError}` : null}
            >
              <FieldLabel>Warn under (credits)</FieldLabel>
              <div className="flex flex-wrap gap-2">
                <FieldControl>
                  <Input
                    inputMode="numeric"
                    className="w-48"
                    placeholder={String(settings.data.low_balance_credits)}
                    value={value}
                    onChange={(e) => setValue(e.target.value)}
                    required
                  />
                </FieldControl>
                <Button type="submit" disabled={save.isPending || value === ""}>
                  {save.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
                  Save
                </Button>
              </div>
              <FieldError
                footer={
                  <RequestIdCopy
                    requestId={toErrorUi(save.error).requestId}
                    code={toErrorUi(save.error).code}
                  />
                }
              />
            </Field>
            {otherError ? <ErrorState error={otherError} /> : null}
          </form>
        )}
      </CardContent>
    </Card>
  );
}
