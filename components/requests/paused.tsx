import { PauseCircle } from "lucide-react";
import { ApiError } from "@/lib/api/errors";

/** The whole account is paused: the shell's banner already says so and how to resolve it. */
export function isCustomerPaused(error: unknown): boolean {
  return ApiError.is(error) && error.code === "account_disabled" && error.details.scope === "customer";
}

/** In place of a second, louder error: the log can't be read while the account is paused. */
export function PausedNote() {
  return (
    <p
      className="flex items-center gap-2 rounded-lg border border-dashed p-4 text-sm text-muted-foreground"
      role="status"
    >
      <PauseCircle className="size-4 shrink-0" aria-hidden />
      The request log can&apos;t be read while the account is paused.
    </p>
  );
}
