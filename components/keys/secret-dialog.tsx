"use client";

import { KeyRound } from "lucide-react";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import type { KeyWithSecret } from "@/lib/api/contract/keys.schema";
import { CopyButton } from "./copy-button";
import { formatDate } from "@/lib/format";

export type RevealedSecret = { key: KeyWithSecret; mode: "created" | "rolled"; oldExpiresAt?: string | null };

function curlSnippet(secret: string, idempotencyKey: string): string {
  const origin = typeof window === "undefined" ? "http://localhost:3000" : window.location.origin;
  return [
    `curl ${origin}/api/v1/jobs \\`,
    `  -H "Authorization: Bearer ${secret}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -H "Idempotency-Key: ${idempotencyKey}" \\`,
    `  -d '{"product": "text-to-image", "prompt": "a lighthouse at dawn"}'`,
  ].join("\n");
}

/**
 * The secret, once: copy it, try it with curl, and confirm it is stored before the dialog can close.
 * Escape, clicks outside and the close button do nothing until then.
 */
export function SecretDialog({ revealed, onDone }: { revealed: RevealedSecret | null; onDone: () => void }) {
  const [stored, setStored] = React.useState(false);
  const [idempotencyKey] = React.useState(() => globalThis.crypto.randomUUID());
  const open = revealed !== null;
  const guard = (event: Event) => {
    if (!stored) event.preventDefault();
  };

  function done() {
    setStored(false);
    onDone();
  }

  return (
    <Dialog open={open} onOpenChange={(next) => (!next && stored ? done() : undefined)}>
      <DialogContent
        showCloseButton={false}
        onEscapeKeyDown={guard}
        onPointerDownOutside={guard}
        onInteractOutside={guard}
        className="sm:max-w-2xl"
      >
        {revealed ? (
          <>
            <DialogHeader>
              <DialogTitle className="flex items-center gap-2">
                <KeyRound className="size-5" aria-hidden />
                {revealed.mode === "created" ? "Save your secret key" : "Save the new secret"}
              </DialogTitle>
              <DialogDescription>
                This is the only time the secret of{" "}
                <strong className="text-foreground">{revealed.key.name}</strong> is shown. Store it in a
                secret manager now; if it is lost, roll the key for a new one.
              </DialogDescription>
            </DialogHeader>
            {revealed.mode === "rolled" && revealed.oldExpiresAt ? (
              <p className="text-sm text-muted-foreground">
                The old secret keeps working until {formatDate(revealed.oldExpiresAt)}.
              </p>
            ) : revealed.mode === "rolled" ? (
              <p className="text-sm text-muted-foreground">The old secret has stopped working.</p>
            ) : null}
            <div className="flex min-w-0 flex-col gap-2">
              <Label htmlFor="revealed-secret">Secret key</Label>
              <div className="flex flex-col gap-2 sm:flex-row">
                <input
                  id="revealed-secret"
                  readOnly
                  value={revealed.key.secret}
                  onFocus={(e) => e.currentTarget.select()}
                  className="h-9 min-w-0 flex-1 rounded-md border bg-muted px-3 font-mono text-sm"
                />
                <CopyButton text={revealed.key.secret} label="Copy secret" what="Secret" />
              </div>
            </div>
            <div className="flex min-w-0 flex-col gap-2">
              <div className="flex items-center justify-between gap-2">
                <p id="curl-label" className="text-sm font-medium">
                  Try it
                </p>
                <CopyButton
                  text={curlSnippet(revealed.key.secret, idempotencyKey)}
                  label="Copy curl command"
                  what="Command"
                />
              </div>
              <pre
                aria-labelledby="curl-label"
                tabIndex={0}
                className="overflow-x-auto rounded-md border bg-muted p-3 font-mono text-xs leading-relaxed"
              >
                {curlSnippet(revealed.key.secret, idempotencyKey)}
              </pre>
              <p className="text-xs text-muted-foreground">
                Send the same Idempotency-Key when you retry, so a job is never created or charged twice.
              </p>
            </div>
            <DialogFooter className="items-center sm:justify-between">
              <div className="flex items-center gap-2">
                <Checkbox
                  id="secret-stored"
                  checked={stored}
                  onCheckedChange={(v) => setStored(v === true)}
                />
                <Label htmlFor="secret-stored">I have stored it</Label>
              </div>
              <Button type="button" onClick={done} disabled={!stored}>
                Done
              </Button>
            </DialogFooter>
          </>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
