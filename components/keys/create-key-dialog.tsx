"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Loader2, Plus } from "lucide-react";
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
import { Input } from "@/components/ui/input";
import { Field, FieldControl, FieldError, FieldLabel } from "@/components/ui/field";
import { Label } from "@/components/ui/label";
import { ChoiceSelect } from "@/components/ui/choice-select";
import type { CreateKeyBody } from "@/lib/api/contract/keys.schema";
import { fieldErrors, toErrorUi } from "@/lib/api/error-ui";
import { keyApi, keyQueries } from "@/lib/api/queries/keys";
import { AllowlistEditor, entryErrors } from "./allowlist-editor";
import type { RevealedSecret } from "./secret-dialog";

const EXPIRY = [
  { value: "never", label: "Never", days: null },
  { value: "7", label: "In 7 days", days: 7 },
  { value: "30", label: "In 30 days", days: 30 },
  { value: "90", label: "In 90 days", days: 90 },
  { value: "365", label: "In 1 year", days: 365 },
] as const;

/** Name, optional allowlists and expiry; on success the secret is handed to the show-once dialog. */
export function CreateKeyDialog({
  onCreated,
  trigger,
}: {
  onCreated: (revealed: RevealedSecret) => void;
  trigger?: React.ReactNode;
}) {
  const queryClient = useQueryClient();
  const [open, setOpen] = React.useState(false);
  const [name, setName] = React.useState("");
  const [origins, setOrigins] = React.useState<string[]>([]);
  const [ips, setIps] = React.useState<string[]>([]);
  const [expiry, setExpiry] = React.useState<(typeof EXPIRY)[number]["value"]>("never");

  const create = useMutation({
    // The response holds the secret: keep it no longer than the dialog that shows it.
    gcTime: 0,
    mutationFn: keyApi.create,
    onSuccess: (key) => {
      void queryClient.invalidateQueries({ queryKey: keyQueries.lists() });
      toast.success("Key created", { description: `${key.name} (${key.prefix}…)` });
      setOpen(false);
      reset();
      onCreated({ key, mode: "created" });
    },
  });

  function reset() {
    setName("");
    setOrigins([]);
    setIps([]);
    setExpiry("never");
    create.reset();
  }

  const fields = fieldErrors(create.error);
  const hasFieldErrors = Object.keys(fields).length > 0;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const days = EXPIRY.find((e) => e.value === expiry)?.days ?? null;
    const body: CreateKeyBody = {
      name: name.trim(),
      allowed_origins: origins.map((o) => o.trim()).filter(Boolean),
      allowed_ips: ips.map((i) => i.trim()).filter(Boolean),
      expires_at: days ? new Date(Date.now() + days * 86_400_000).toISOString() : null,
    };
    // Entries are sent without blanks, so keep the lists aligned with what the server will index.
    setOrigins(body.allowed_origins ?? []);
    setIps(body.allowed_ips ?? []);
    create.mutate(body);
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
      }}
    >
      <DialogTrigger asChild>
        {trigger ?? (
          <Button>
            <Plus aria-hidden />
            Create key
          </Button>
        )}
      </DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Create API key</DialogTitle>
          <DialogDescription>
            Programs send it as <code className="font-mono">Authorization: Bearer sk_live_…</code>. Restrict
            it to the origins and networks that should use it.
          </DialogDescription>
        </DialogHeader>
        <form className="flex min-w-0 flex-col gap-5" onSubmit={submit} noValidate>
          <Field id="key-name" error={fields.name}>
            <FieldLabel>Name</FieldLabel>
            <FieldControl>
              <Input
                value={name}
                maxLength={100}
                placeholder="Production backend"
                onChange={(e) => setName(e.target.value)}
                autoComplete="off"
              />
            </FieldControl>
            <FieldError />
          </Field>
          <AllowlistEditor
            kind="origin"
            entries={origins}
            onChange={setOrigins}
            errors={entryErrors(fields, "origin")}
          />
          <AllowlistEditor kind="ip" entries={ips} onChange={setIps} errors={entryErrors(fields, "ip")} />
          <div className="flex flex-col gap-2">
            <Label htmlFor="key-expiry">Expires</Label>
            <ChoiceSelect
              id="key-expiry"
              className="w-48"
              value={expiry}
              onValueChange={setExpiry}
              choices={EXPIRY}
              invalid={Boolean(fields.expires_at)}
            />
            {fields.expires_at ? <p className="text-sm text-destructive">{fields.expires_at}</p> : null}
          </div>
          {hasFieldErrors ? (
            <div role="alert" className="flex flex-col gap-1">
              <p className="text-sm text-destructive">Check the highlighted fields.</p>
              <RequestIdCopy
                requestId={toErrorUi(create.error).requestId}
                code={toErrorUi(create.error).code}
              />
            </div>
          ) : create.error ? (
            <ErrorState error={create.error} />
          ) : null}
          <DialogFooter>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              Create key
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
