"use client";

import { Ban } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { toErrorUi } from "@/lib/api/error-ui";
import { RequestIdCopy } from "./request-id-copy";

/** invalid_state (409): the thing changed state in the meantime; say where it is now, inline. */
export function InvalidStateAlert({ error }: { error: unknown }) {
  const ui = toErrorUi(error);
  const { status, allowed_from: allowed } = ui.details;
  const from = Array.isArray(allowed) ? allowed.filter((s): s is string => typeof s === "string") : [];
  return (
    <Alert variant="warning">
      <Ban aria-hidden />
      <AlertTitle>{ui.title}</AlertTitle>
      <AlertDescription>
        <p>
          {typeof status === "string" ? `It is ${status} now` : "Its state changed"}
          {from.length ? `; this action works only when it is ${from.join(" or ")}.` : "."} {ui.action}
        </p>
        <RequestIdCopy requestId={ui.requestId} code={ui.code} />
      </AlertDescription>
    </Alert>
  );
}
