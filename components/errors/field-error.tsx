"use client";

import { RequestIdCopy } from "./request-id-copy";

/**
 * A field's error: the message (give its `id` to the input's aria-describedby, and set aria-invalid
 * there) and, when the server said it, the request id with its copy button and the link to its
 * code's page in the docs.
 */
export function FieldError({
  id,
  message,
  requestId,
  code,
}: {
  id: string;
  message: string | null | undefined;
  requestId?: string | null;
  code?: string;
}) {
  if (!message) return null;
  return (
    <div className="flex flex-col gap-1">
      <p id={id} className="text-sm text-destructive">
        {message}
      </p>
      <RequestIdCopy requestId={requestId ?? null} code={requestId ? code : undefined} />
    </div>
  );
}
