"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { limitSentence, SpendLimitCard } from "@/components/errors/spend-limit-card";
import { billingQueries, saveMonthlyCreditLimit } from "@/lib/api/queries/billing";
import { toast } from "@/lib/toast";

/** The account's monthly credit limit on Billing: the month's spend against it, editable by the owner. */
export function AccountSpendLimitCard({ canEdit }: { canEdit: boolean }) {
  const queryClient = useQueryClient();
  const settings = useQuery(billingQueries.settings());
  const alerts = useQuery(billingQueries.spendAlerts());
  const save = useMutation({
    mutationFn: (limit: number | null) => saveMonthlyCreditLimit(limit),
    onSuccess: (data) => {
      queryClient.setQueryData(billingQueries.settings().queryKey, data);
      void queryClient.invalidateQueries({ queryKey: billingQueries.spendAlerts().queryKey });
      toast.success("Monthly spend limit saved", { description: limitSentence(data.spend, "account") });
    },
  });
  return (
    <SpendLimitCard
      title="Monthly spend limit"
      description="At most this many credits of jobs per calendar month (UTC), across the console and every key. Past it, new jobs are refused with a 402 until next month or until you raise it."
      state={settings.data?.spend}
      pending={settings.isPending}
      loadError={settings.isLoadingError ? settings.error : null}
      onRetry={() => void settings.refetch()}
      alerts={(alerts.data?.data ?? []).filter((a) => a.scope === "customer")}
      canEdit={canEdit}
      save={save}
      fieldId="account-credit-limit"
    />
  );
}
