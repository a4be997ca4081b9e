"use client";

import { KeyRound } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { toErrorUi } from "@/lib/api/error-ui";
import { RequestIdCopy } from "./request-id-copy";

/**
 * idempotency_conflict: why the server refused to run the request (nothing ran, nothing was charged),
 * and what to do — a new key for a new request, or the same request again while the first finishes.
 */
export function IdempotencyConflict({ error, onNewKey }: { error: unknown; onNewKey?: () => void }) {
  const ui = toErrorUi(error);
  const inProgress = ui.details.reason === "in_progress";
  return (
    <Alert variant="warning">
      <KeyRound aria-hidden />
      <AlertTitle>
        {inProgress ? "The first request is still running" : "Idempotency-Key already used"}
      </AlertTitle>
      <AlertDescription>
        {inProgress ? (
          <p>
            A request with this Idempotency-Key is still being processed. Send the same request again in a
            moment with the same key: you will get its result, and it will not run twice.
          </p>
        ) : (
          <p>
            This Idempotency-Key was already used for a different request (another body or path). The server
            did not run this one, so nothing was created or charged. Use a new key for a new request; resend
            the original request unchanged to get its stored result.
          </p>
        )}
        {onNewKey && !inProgress ? (
          <Button type="button" variant="outline" size="sm" onClick={onNewKey}>
            Use a new key
          </Button>
        ) : null}
        <RequestIdCopy requestId={ui.requestId} code={ui.code} />
      </AlertDescription>
    </Alert>
  );
}
