"use client";

import { KeyRound } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import type { WebhookEndpointWithSecret } from "@/lib/api/contract/webhook-endpoints.schema";
import { CopyText } from "./copy-text";

export type RevealedEndpointSecret = { endpoint: WebhookEndpointWithSecret; mode: "created" | "rolled" };

/** The signing secret, once: after this dialog closes only its prefix is ever shown again. */
export function SecretReveal({
  revealed,
  onDone,
}: {
  revealed: RevealedEndpointSecret | null;
  onDone: () => void;
}) {
  return (
    <Dialog open={revealed !== null} onOpenChange={(open) => (open ? undefined : onDone())}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle className="flex items-center gap-2">
            <KeyRound className="size-5" aria-hidden />
            {revealed?.mode === "rolled" ? "New signing secret" : "Endpoint added: its signing secret"}
          </DialogTitle>
          <DialogDescription>
            Copy it now: it is shown only once. Your receiver verifies each delivery&apos;s
            <code className="mx-1 font-mono">webhook-signature</code>with it.
            {revealed?.mode === "rolled" ? " Deliveries from now on are signed with this secret only." : ""}
          </DialogDescription>
        </DialogHeader>
        {revealed ? (
          <div className="flex min-w-0 flex-col gap-3">
            <code
              aria-label="Signing secret"
              className="block overflow-x-auto rounded-md border bg-muted px-3 py-2 font-mono text-sm break-all"
            >
              {revealed.endpoint.secret}
            </code>
            <div>
              <CopyText text={revealed.endpoint.secret} label="Copy secret" what="Signing secret" />
            </div>
          </div>
        ) : null}
        <DialogFooter>
          <Button type="button" onClick={onDone}>
            Done
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
