"use client";

import { PauseCircle } from "lucide-react";
import { toErrorUi } from "@/lib/api/error-ui";
import { RequestIdCopy } from "./request-id-copy";

/** account_disabled (customer scope) on every console page: says what is paused and how to resolve it. */
export function PausedBanner({ error }: { error: unknown }) {
  const ui = toErrorUi(error);
  return (
    <div
      role="alert"
      className="flex flex-col gap-2 border-b border-warning/50 bg-warning/15 px-4 py-3 text-sm sm:flex-row sm:items-center sm:justify-between"
    >
      <p className="flex items-center gap-2">
        <PauseCircle className="size-4 shrink-0" aria-hidden />
        <span>
          <strong>Your account is paused.</strong> API requests and new jobs are refused. Contact support to
          resume it.
        </span>
      </p>
      <RequestIdCopy requestId={ui.requestId} code={ui.code} />
    </div>
  );
}
