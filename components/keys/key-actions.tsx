"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Ban, Loader2, Pause, Play, RefreshCw } from "lucide-react";
import * as React from "react";
import { LocalTime } from "@/components/common/local-time";
import { toast } from "@/lib/toast";
import { ErrorState } from "@/components/errors/error-state";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { DurationSelect } from "./duration-select";
import { Separator } from "@/components/ui/separator";
import { ROLL_GRACE_CHOICES } from "@/lib/api/contract/constants";
import type { Key } from "@/lib/api/contract/keys.schema";
import { keyApi, storeKey } from "@/lib/api/queries/keys";
import type { RevealedSecret } from "./secret-dialog";
import { formatDate } from "@/lib/format";

/** When an old secret stops working after a roll with this grace, or null for "now". */
function graceEnd(seconds: number): string | null {
  return seconds ? new Date(Date.now() + seconds * 1000).toISOString() : null;
}

/** Pause/resume, roll with a grace period, revoke behind a confirmation that names the key. */
export function KeyActions({
  keyData,
  onRolling,
  onRolled,
}: {
  keyData: Key;
  /** The roll was confirmed: its request is on the way (time to fetch what shows the new secret). */
  onRolling?: () => void;
  onRolled: (revealed: RevealedSecret) => void;
}) {
  const queryClient = useQueryClient();
  const [grace, setGrace] = React.useState("0");
  const graceId = React.useId();

  const setStatus = useMutation({
    mutationFn: keyApi.update,
    onSuccess: (key) => {
      storeKey(queryClient, key);
      toast.success(key.status === "paused" ? "Key paused" : "Key resumed", {
        description:
          key.status === "paused"
            ? `Requests with ${key.name} are refused (account_disabled) until you resume it.`
            : `${key.name} accepts requests again.`,
      });
    },
  });

  const roll = useMutation({
    gcTime: 0,
    mutationFn: keyApi.roll,
    onMutate: () => onRolling?.(),
    onSuccess: (key, vars) => {
      const { secret: _secret, ...withoutSecret } = key;
      storeKey(queryClient, withoutSecret);
      const oldExpiresAt = graceEnd(vars.expire_old_in_seconds);
      toast.success("Secret rolled", {
        description: oldExpiresAt
          ? `The old secret works until ${formatDate(oldExpiresAt)}.`
          : "The old secret stopped working.",
      });
      onRolled({ key, mode: "rolled", oldExpiresAt });
      roll.reset();
    },
  });

  const revoke = useMutation({
    mutationFn: keyApi.revoke,
    onSuccess: (key) => {
      storeKey(queryClient, key);
      toast.success("Key revoked", { description: `${key.name} can no longer be used.` });
    },
  });

  if (keyData.status === "revoked") {
    return (
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Revoked</h2>
          </CardTitle>
          <CardDescription>
            This key was revoked
            {keyData.revoked_at ? (
              <>
                {" on "}
                <LocalTime iso={keyData.revoked_at} format={formatDate} />
              </>
            ) : null}
            . Requests with it get authentication_failed. Create a new key to replace it.
          </CardDescription>
        </CardHeader>
      </Card>
    );
  }

  const paused = keyData.status === "paused";
  const pausedBySupport = keyData.paused_by === "support";
  const graceLabel = ROLL_GRACE_CHOICES.find((c) => String(c.seconds) === grace)?.label ?? "Now";
  const error = setStatus.error ?? roll.error ?? revoke.error;

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Manage key</h2>
        </CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <section className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
          <div>
            <h3 className="text-sm font-medium">
              {pausedBySupport ? "Paused by support" : paused ? "Paused" : "Pause"}
            </h3>
            <p className="text-sm text-muted-foreground">
              {pausedBySupport
                ? "Support paused this key: requests with it are refused with account_disabled. Only support can resume it — contact them."
                : paused
                  ? "Requests with this key are refused with account_disabled. Resume to accept them again."
                  : "Refuse requests with this key for now, without changing its secret."}
            </p>
          </div>
          <Button
            type="button"
            variant="outline"
            disabled={setStatus.isPending || pausedBySupport}
            onClick={() => setStatus.mutate({ id: keyData.id, status: paused ? "active" : "paused" })}
          >
            {setStatus.isPending ? (
              <Loader2 className="animate-spin" aria-hidden />
            ) : paused ? (
              <Play aria-hidden />
            ) : (
              <Pause aria-hidden />
            )}
            {paused ? "Resume key" : "Pause key"}
          </Button>
        </section>
        <Separator />
        <section className="flex flex-col gap-3">
          <div>
            <h3 className="text-sm font-medium">Roll secret</h3>
            <p className="text-sm text-muted-foreground">
              Issue a new secret. Give programs time to switch by keeping the old one working for a while.
            </p>
          </div>
          <div className="flex flex-wrap items-end gap-2">
            <div className="flex flex-col gap-2">
              <Label htmlFor={graceId}>Old secret stops working</Label>
              <DurationSelect
                id={graceId}
                className="w-44"
                value={grace}
                onValueChange={setGrace}
                choices={ROLL_GRACE_CHOICES}
              />
            </div>
            <AlertDialog>
              <AlertDialogTrigger asChild>
                <Button type="button" variant="outline" disabled={roll.isPending}>
                  {roll.isPending ? (
                    <Loader2 className="animate-spin" aria-hidden />
                  ) : (
                    <RefreshCw aria-hidden />
                  )}
                  Roll secret
                </Button>
              </AlertDialogTrigger>
              <AlertDialogContent>
                <AlertDialogHeader>
                  <AlertDialogTitle>Roll the secret of “{keyData.name}”?</AlertDialogTitle>
                  <AlertDialogDescription>
                    {grace === "0"
                      ? "The current secret stops working immediately. Programs using it fail until they get the new one."
                      : `The current secret keeps working ${graceLabel.toLowerCase()}, then stops.`}
                  </AlertDialogDescription>
                </AlertDialogHeader>
                <AlertDialogFooter>
                  <AlertDialogCancel>Cancel</AlertDialogCancel>
                  <AlertDialogAction
                    onClick={() => roll.mutate({ id: keyData.id, expire_old_in_seconds: Number(grace) })}
                  >
                    Roll secret
                  </AlertDialogAction>
                </AlertDialogFooter>
              </AlertDialogContent>
            </AlertDialog>
          </div>
        </section>
        <Separator />
        <section className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
          <div>
            <h3 className="text-sm font-medium text-destructive">Revoke key</h3>
            <p className="text-sm text-muted-foreground">
              Permanently disable this key and every secret it has had.
            </p>
          </div>
          <AlertDialog>
            <AlertDialogTrigger asChild>
              <Button type="button" variant="destructive" disabled={revoke.isPending}>
                {revoke.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Ban aria-hidden />}
                Revoke key
              </Button>
            </AlertDialogTrigger>
            <AlertDialogContent>
              <AlertDialogHeader>
                <AlertDialogTitle>Revoke “{keyData.name}”?</AlertDialogTitle>
                <AlertDialogDescription>
                  Programs using <code className="font-mono">{keyData.prefix}…</code> stop working
                  immediately, with authentication_failed. This can&apos;t be undone.
                </AlertDialogDescription>
              </AlertDialogHeader>
              <AlertDialogFooter>
                <AlertDialogCancel>Cancel</AlertDialogCancel>
                <AlertDialogAction variant="destructive" onClick={() => revoke.mutate({ id: keyData.id })}>
                  Revoke key
                </AlertDialogAction>
              </AlertDialogFooter>
            </AlertDialogContent>
          </AlertDialog>
        </section>
        {error ? <ErrorState error={error} /> : null}
      </CardContent>
    </Card>
  );
}
