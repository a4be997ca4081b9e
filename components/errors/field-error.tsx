"use client";

import { RequestIdCopy } from "./request-id-copy";

/**
 * A field's error: the message (give its `id` to the input's aria-describedby, and set aria-invalid
 * there) and, when the server said it, the request id with its copy button.
 */
export function FieldError({
  id,
  message,
  requestId,
}: {
  id: string;
  message: string | null | undefined;
  requestId?: string | null;
}) {
  if (!message) return null;
  return (
    <div className="flex flex-col gap-1">
      <p id={id} className="text-sm text-destructive">
        {message}
      </p>
      <RequestIdCopy requestId={requestId ?? null} />
    </div>
  );
}
