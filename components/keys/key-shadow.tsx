"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import Link from "next/link";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import type { Key, KeyShadow } from "@/lib/api/contract/keys.schema";
import { keyApi, storeKey } from "@/lib/api/queries/keys";
import { formatCount } from "@/lib/format/credits";
import { formatDate } from "@/lib/format/date";
import { toast } from "@/lib/toast";

function Entries({ label, entries }: { label: string; entries: string[] }) {
  return (
    <div className="flex flex-col gap-1">
      <h4 className="text-xs font-medium text-muted-foreground">{label}</h4>
      {entries.length ? (
        <ul className="flex flex-wrap gap-1">
          {entries.map((e) => (
            <li key={e}>
              <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{e}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-muted-foreground">Empty: unrestricted</p>
      )}
    </div>
  );
}

/**
 * The allowlists a key is trying in shadow: what they flagged so far, and Enforce (they replace the
 * key's lists) or Discard (the key keeps its lists). Both are audited on the server.
 */
export function KeyShadowPanel({ keyData, shadow }: { keyData: Key; shadow: KeyShadow }) {
  const queryClient = useQueryClient();
  const end = useMutation({
    mutationFn: keyApi.endShadow,
    onSuccess: (key, vars) => {
      storeKey(queryClient, key);
      toast.success(
        vars.action === "enforce" ? "Shadow allowlists enforced" : "Shadow allowlists discarded",
        {
          description:
            vars.action === "enforce"
              ? `${key.name} now refuses what they flagged.`
              : `${key.name} keeps its allowlists as they were.`,
        },
      );
    },
  });
  const n = shadow.would_refuse;
  const log = `/requests?would_refuse=true&key=${encodeURIComponent(keyData.id)}&range=30d`;
  return (
    <section
      aria-labelledby="key-shadow-heading"
      className="flex flex-col gap-3 rounded-lg border border-dashed p-4"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="key-shadow-heading" className="text-sm font-medium">
          Shadow allowlists
        </h3>
        <p className="text-xs text-muted-foreground">
          {shadow.active
            ? `Checked until ${formatDate(new Date(shadow.ends_at))}; nothing is refused by them.`
            : `The shadow period ended ${formatDate(new Date(shadow.ends_at))}.`}
        </p>
      </div>
      <div className="grid gap-3 md:grid-cols-2">
        <Entries label="Allowed origins" entries={shadow.allowed_origins} />
        <Entries label="Allowed IPs" entries={shadow.allowed_ips} />
      </div>
      <p role="status" className={n > 0 ? "text-sm font-medium" : "text-sm"}>
        {n === 0
          ? "No request would have been refused so far."
          : `${formatCount(n)} ${n === 1 ? "request" : "requests"} would have been refused since ${formatDate(new Date(shadow.started_at))}.`}{" "}
        <Link href={log} className="underline underline-offset-4">
          View them in the request log
        </Link>
      </p>
      {end.error ? <ErrorState error={end.error} /> : null}
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          disabled={end.isPending}
          onClick={() => end.mutate({ id: keyData.id, action: "enforce" })}
        >
          {end.isPending && end.variables?.action === "enforce" ? (
            <Loader2 className="animate-spin" aria-hidden />
          ) : null}
          Enforce
        </Button>
        <Button
          type="button"
          variant="outline"
          disabled={end.isPending}
          onClick={() => end.mutate({ id: keyData.id, action: "discard" })}
        >
          {end.isPending && end.variables?.action === "discard" ? (
            <Loader2 className="animate-spin" aria-hidden />
          ) : null}
          Discard shadow
        </Button>
      </div>
    </section>
  );
}
