"use client";

import { Gauge } from "lucide-react";
import Link from "next/link";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { spendLimitOf, toErrorUi } from "@/lib/api/error-ui";
import { formatCredits } from "@/lib/format";
import { RequestIdCopy } from "./request-id-copy";

/**
 * insufficient_balance with details.reason "spend_limit": which monthly credit limit refused the
 * charge (the account's or this key's), the month's spend against it, and a link to where it is set.
 * Nothing was charged; a top-up would not help, so no top-up dialog opens.
 */
export function SpendLimitAlert({ error }: { error: unknown }) {
  const ui = toErrorUi(error);
  const refusal = spendLimitOf(ui.details);
  const whose = refusal.scope === "key" ? "This key's" : "Your account's";
  const figures =
    refusal.limit !== null && refusal.spent !== null
      ? `${whose} monthly credit limit is ${formatCredits(refusal.limit)}, and ${formatCredits(refusal.spent)} are spent this month (UTC)${
          refusal.required !== null ? `; this needs ${formatCredits(refusal.required)} more` : ""
        }.`
      : ui.message;
  return (
    <Alert
      variant="warning"
      aria-label={refusal.scope === "key" ? "Key spend limit reached" : "Account spend limit reached"}
    >
      <Gauge aria-hidden />
      <AlertTitle>
        {refusal.scope === "key" ? "This key's monthly spend limit is reached" : ui.title}
      </AlertTitle>
      <AlertDescription>
        <p>{figures}</p>
        <p>Nothing was charged. Raise the limit to continue, or wait for the next month.</p>
        <Link href={refusal.href} className="font-medium text-foreground underline underline-offset-4">
          {refusal.scope === "key" ? "Raise this key's limit" : "Raise the account's limit in Billing"}
        </Link>
        <RequestIdCopy requestId={ui.requestId} code={ui.code} />
      </AlertDescription>
    </Alert>
  );
}
