"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Loader2, Pause, Play } from "lucide-react";
import * as React from "react";
import { toast } from "@/lib/toast";
import { ErrorState } from "@/components/errors/error-state";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Field, FieldControl, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { MAX_REASON_LENGTH } from "@/lib/api/contract/constants";
import { fieldErrors, toErrorUi } from "@/lib/api/error-ui";
import { type PauseTarget, supportApi, supportQueries } from "@/lib/api/queries/support";

const NOUN: Record<PauseTarget, string> = { customers: "account", keys: "key", products: "product" };

const EFFECT: Record<PauseTarget, { pause: string; unpause: string }> = {
  customers: {
    pause:
      "Its console sessions end now, and every API call with its keys is refused with account_disabled until it is unpaused. Its people can still sign in and see that the account is paused.",
    unpause: "Its keys work again at once. Its people sign in again to use the console.",
  },
  keys: {
    pause:
      "Every call with this key is refused with account_disabled (scope key). The customer's other keys keep working.",
    unpause: "Calls with this key are accepted again at once.",
  },
  products: {
    pause:
      "New jobs for this product are refused with product_paused, for every customer. Jobs already queued still run.",
    unpause: "Customers can create jobs for it again at once.",
  },
};

export type PauseDialogProps = {
  target: PauseTarget;
  id: string;
  /** What people call it: the customer's name, the key's prefix, the product's name. */
  name: string;
  /** Its state now: the dialog offers the other one. */
  paused: boolean;
  size?: "sm" | "default";
};

/** Pause or unpause with a required reason (it goes in the audit log), then a toast. */
export function PauseDialog({ target, id, name, paused, size = "default" }: PauseDialogProps) {
  const queryClient = useQueryClient();
  const [open, setOpen] = React.useState(false);
  const [reason, setReason] = React.useState("");
  const [missing, setMissing] = React.useState(false);
  const noun = NOUN[target];
  const verb = paused ? "Unpause" : "Pause";

  const mutation = useMutation({
    mutationFn: supportApi.setPaused,
    onSuccess: async (_data, vars) => {
      toast.success(`${name} ${vars.paused ? "paused" : "unpaused"}`, {
        description: `Reason: ${vars.reason}`,
      });
      setOpen(false);
      setReason("");
      await queryClient.invalidateQueries({ queryKey: supportQueries.all() });
    },
  });

  const serverFieldError = mutation.error ? fieldErrors(mutation.error).reason : undefined;
  const fieldError = missing ? "Give a reason: it goes in the audit log." : serverFieldError;
  const otherError = mutation.error && !serverFieldError ? mutation.error : null;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          mutation.reset();
          setMissing(false);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button
          type="button"
          size={size}
          variant={paused ? "outline" : "destructive"}
          aria-label={target === "customers" ? `${verb} account` : `${verb} ${noun} ${name}`}
        >
          {paused ? <Play aria-hidden /> : <Pause aria-hidden />}
          {verb} {noun}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            const trimmed = reason.trim();
            if (!trimmed) {
              setMissing(true);
              return;
            }
            setMissing(false);
            mutation.mutate({ target, id, paused: !paused, reason: trimmed });
          }}
        >
          <DialogHeader>
            <DialogTitle>
              {verb} {noun} {name}?
            </DialogTitle>
            <DialogDescription>{paused ? EFFECT[target].unpause : EFFECT[target].pause}</DialogDescription>
          </DialogHeader>
          <Field
            description={fieldError ? null : "Kept in the audit log with your name and the time."}
            error={fieldError}
          >
            <FieldLabel>Reason</FieldLabel>
            <FieldControl>
              <Textarea
                value={reason}
                maxLength={MAX_REASON_LENGTH}
                placeholder={paused ? "Why it can be used again" : "Why it is being paused"}
                onChange={(e) => setReason(e.target.value)}
                aria-required="true"
              />
            </FieldControl>
            <FieldError
              footer={
                serverFieldError ? (
                  <RequestIdCopy
                    requestId={toErrorUi(mutation.error).requestId}
                    code={toErrorUi(mutation.error).code}
                  />
                ) : null
              }
            />
            <FieldDescription />
          </Field>
          {otherError ? <ErrorState error={otherError} /> : null}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant={paused ? "default" : "destructive"} disabled={mutation.isPending}>
              {mutation.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              {verb} {noun}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
