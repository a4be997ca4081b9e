"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { limitSentence, SpendLimitCard } from "@/components/errors/spend-limit-card";
import type { Key } from "@/lib/api/contract/keys.schema";
import { billingQueries } from "@/lib/api/queries/billing";
import { keyApi, storeKey } from "@/lib/api/queries/keys";
import { toast } from "@/lib/toast";

/** A key's monthly credit limit on its page. */
export function KeySpendLimitCard({ keyData }: { keyData: Key }) {
  const queryClient = useQueryClient();
  const alerts = useQuery(billingQueries.spendAlerts());
  const save = useMutation({
    mutationFn: (limit: number | null) => keyApi.update({ id: keyData.id, monthly_credit_limit: limit }),
    onSuccess: (key) => {
      storeKey(queryClient, key);
      void queryClient.invalidateQueries({ queryKey: billingQueries.spendAlerts().queryKey });
      toast.success("Key spend limit saved", { description: limitSentence(key.spend, "key") });
    },
  });
  return (
    <SpendLimitCard
      title="Monthly spend limit"
      description="At most this many credits of jobs per calendar month (UTC) through this key. Past it, this key's jobs are refused with a 402; the account's own limit still applies."
      state={keyData.spend}
      pending={false}
      loadError={null}
      alerts={(alerts.data?.data ?? []).filter((a) => a.key_id === keyData.id)}
      canEdit={keyData.status !== "revoked"}
      save={save}
      fieldId="key-credit-limit"
    />
  );
}
