"use client";

import { PauseCircle } from "lucide-react";
import Link from "next/link";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { toErrorUi } from "@/lib/api/error-ui";
import { RequestIdCopy } from "./request-id-copy";

type Paused = { what: "product"; product: string } | { what: "key" } | { what: "customer" };

function pausedFrom(error: unknown, productName?: string): Paused {
  const ui = toErrorUi(error);
  if (ui.code === "product_paused") {
    const id = typeof ui.details.product === "string" ? ui.details.product : null;
    return { what: "product", product: productName ?? id ?? "This product" };
  }
  return ui.details.scope === "customer" ? { what: "customer" } : { what: "key" };
}

/**
 * product_paused and account_disabled, inline: says what is paused (product, key or account) and how to
 * resolve it. Pass `productName` alone (no error) to mark a paused product before anything is sent.
 */
export function PausedAlert({ error, productName }: { error?: unknown; productName?: string }) {
  const paused: Paused = error
    ? pausedFrom(error, productName)
    : { what: "product", product: productName ?? "This product" };
  const ui = error ? toErrorUi(error) : null;
  return (
    <Alert variant="warning">
      <PauseCircle aria-hidden />
      <AlertTitle>
        {paused.what === "product"
          ? `${paused.product} is paused`
          : paused.what === "key"
            ? "This API key is paused"
            : "Your account is paused"}
      </AlertTitle>
      <AlertDescription>
        {paused.what === "product" ? (
          <p>
            It is temporarily unavailable and takes no new jobs. Choose another product, or try again later.
          </p>
        ) : paused.what === "key" ? (
          <p>
            Requests with this key are refused. Resume it on the{" "}
            <Link href="/keys" className="font-medium text-foreground underline underline-offset-4">
              Keys page
            </Link>
            , or use another key.
          </p>
        ) : (
          <p>API requests and new jobs are refused. Contact support to resume it.</p>
        )}
        <RequestIdCopy requestId={ui?.requestId ?? null} code={ui?.code} />
      </AlertDescription>
    </Alert>
  );
}
