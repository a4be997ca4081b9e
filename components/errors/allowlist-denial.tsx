"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2, ShieldAlert } from "lucide-react";
import * as React from "react";
import { toast } from "@/lib/toast";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import type { Key } from "@/lib/api/contract/keys.schema";
import { toErrorUi } from "@/lib/api/error-ui";
import { allowOnKeyMutation, keyQueries } from "@/lib/api/queries/keys";
import { cn } from "@/lib/utils";
import { RequestIdCopy } from "./request-id-copy";

/**
 * The allowlist denial state (origin_not_allowed / ip_not_allowed of a key): what was observed, the
 * key's list, and a button **Allow** that adds the observed value to the key. Give it the error and the
 * id of the key that made the request.
 */
export function AllowlistDenial({
  error,
  keyId,
  onAllowed,
  className,
}: {
  error: unknown;
  keyId: string;
  onAllowed?: (key: Key) => void;
  className?: string;
}) {
  const ui = toErrorUi(error);
  const queryClient = useQueryClient();
  const key = useQuery(keyQueries.detail(keyId));
  const allow = useMutation(allowOnKeyMutation(queryClient));
  const describedBy = React.useId();

  const isOrigin = ui.code === "origin_not_allowed";
  const raw = isOrigin ? ui.details.origin : ui.details.ip;
  const observed = typeof raw === "string" && raw !== "null" ? raw : null;
  const noun = isOrigin ? "origin" : "IP address";
  const list = key.data ? (isOrigin ? key.data.allowed_origins : key.data.allowed_ips) : [];
  const revoked = key.data?.status === "revoked";

  return (
    <div
      role="alert"
      className={cn(
        "flex flex-col gap-3 rounded-lg border border-destructive/40 bg-destructive/5 p-4",
        className,
      )}
    >
      <div className="flex items-start gap-3">
        <ShieldAlert className="mt-0.5 size-5 shrink-0 text-destructive" aria-hidden />
        <div className="flex min-w-0 flex-col gap-1">
          <p className="font-medium">{ui.title}</p>
          <p className="text-sm">
            {observed ? (
              <>
                Observed {noun}:{" "}
                <code className="rounded bg-muted px-1.5 py-0.5 font-mono break-all">{observed}</code>
              </>
            ) : isOrigin ? (
              <>
                The request sent{" "}
                {raw === "null" ? <code className="font-mono">Origin: null</code> : "no Origin header"}, and
                this key only accepts its allowed origins. Server-side programs send none: use a key without
                origins for them.
              </>
            ) : (
              "The client IP address could not be determined."
            )}
          </p>
          <p className="font-mono text-xs text-muted-foreground">{ui.code} · HTTP 403</p>
        </div>
      </div>

      <div className="flex flex-col gap-1 text-sm">
        <p className="text-muted-foreground">
          {key.data ? (
            <>
              Allowed {isOrigin ? "origins" : "IPs"} of{" "}
              <strong className="text-foreground">{key.data.name}</strong>:
            </>
          ) : (
            `The key's allowed ${isOrigin ? "origins" : "IPs"}:`
          )}
        </p>
        {key.isPending ? (
          <Skeleton className="h-5 w-56" />
        ) : key.isLoadingError ? (
          <p className="text-muted-foreground">
            The key&apos;s list could not be loaded ({toErrorUi(key.error).title}).
          </p>
        ) : list.length ? (
          <ul className="flex flex-wrap gap-1.5" aria-label={`Allowed ${isOrigin ? "origins" : "IPs"}`}>
            {list.map((entry) => (
              <li key={entry}>
                <code className="rounded border bg-background px-1.5 py-0.5 font-mono text-xs">{entry}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-muted-foreground">None: this list no longer restricts the key.</p>
        )}
      </div>

      {allow.error ? (
        <p className="text-sm text-destructive">Could not allow it: {toErrorUi(allow.error).message}</p>
      ) : null}

      <div className="flex flex-wrap items-center justify-between gap-2">
        <RequestIdCopy requestId={ui.requestId} code={ui.code} />
        <div className="flex items-center gap-2">
          <span id={describedBy} className="sr-only">
            {observed
              ? `Adds ${observed} to the key's allowed ${isOrigin ? "origins" : "IPs"}`
              : "Nothing to add"}
          </span>
          <Button
            type="button"
            size="sm"
            aria-describedby={describedBy}
            disabled={!observed || !key.data || revoked || allow.isPending}
            onClick={() => {
              if (!observed) return;
              allow.mutate(
                { keyId, code: isOrigin ? "origin_not_allowed" : "ip_not_allowed", value: observed },
                {
                  onSuccess: (updated) => {
                    toast.success(`Allowed ${observed}`, {
                      description: `Added to the allowed ${isOrigin ? "origins" : "IPs"} of ${updated.name}.`,
                    });
                    onAllowed?.(updated);
                  },
                },
              );
            }}
          >
            {allow.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
            Allow
          </Button>
        </div>
      </div>
    </div>
  );
}
