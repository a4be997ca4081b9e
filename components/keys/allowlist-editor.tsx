"use client";

import { AlertTriangle, Plus, X } from "lucide-react";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldControl, FieldDescription, FieldError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ipWarning, originWarning } from "./allowlist-warnings";

const KINDS = {
  origin: {
    legend: "Allowed origins",
    singular: "Allowed origin",
    field: "allowed_origins",
    placeholder: "https://app.example.com",
    add: "Add origin",
    empty: "Empty: any origin (and server-side calls without one) may use this key.",
    hint: "scheme://host[:port]. A wildcard covers subdomains: https://*.example.com. Once set, requests without an Origin are refused.",
    warn: originWarning,
  },
  ip: {
    legend: "Allowed IPs",
    singular: "Allowed IP",
    field: "allowed_ips",
    placeholder: "203.0.113.7 or 198.51.100.0/24",
    add: "Add IP",
    empty: "Empty: any IP address may use this key.",
    hint: "IPv4 or IPv6 addresses or CIDR ranges.",
    warn: ipWarning,
  },
} as const;

export type AllowlistKind = keyof typeof KINDS;

/** The server's field errors for one list, keyed by entry index (`allowed_ips.2` → 2). */
export function entryErrors(fields: Record<string, string>, kind: AllowlistKind): Record<number, string> {
  const prefix = `${KINDS[kind].field}.`;
  const out: Record<number, string> = {};
  for (const [path, message] of Object.entries(fields)) {
    if (path.startsWith(prefix)) out[Number(path.slice(prefix.length))] = message;
  }
  return out;
}

/** One allowlist, editable in place: add, fix, remove. Errors sit under their entry; warnings advise. */
export function AllowlistEditor({
  kind,
  entries,
  onChange,
  errors = {},
  disabled,
}: {
  kind: AllowlistKind;
  entries: string[];
  onChange: (entries: string[]) => void;
  errors?: Record<number, string>;
  disabled?: boolean;
}) {
  const spec = KINDS[kind];
  const [draft, setDraft] = React.useState("");

  function add() {
    const value = draft.trim();
    if (!value) return;
    if (!entries.includes(value)) onChange([...entries, value]);
    setDraft("");
  }

  return (
    <fieldset className="flex min-w-0 flex-col gap-3" disabled={disabled}>
      <legend className="mb-1 text-sm font-medium">{spec.legend}</legend>
      {/* The hint describes the new-entry box below the list; each entry is a Field of its own. */}
      <Field className="gap-3" description={spec.hint}>
        <FieldDescription />
        {entries.length === 0 ? (
          <p className="rounded-md border border-dashed px-3 py-2 text-sm text-muted-foreground">
            {spec.empty}
          </p>
        ) : (
          <ul className="flex flex-col gap-2">
            {entries.map((entry, i) => {
              const error = errors[i];
              const warning = error ? null : spec.warn(entry);
              return (
                <li key={i}>
                  <Field
                    className="gap-1"
                    error={error}
                    description={
                      warning ? (
                        <>
                          <AlertTriangle className="mt-0.5 size-3.5 shrink-0 text-warning" aria-hidden />
                          <span>
                            <span className="sr-only">Warning: </span>
                            {warning}
                          </span>
                        </>
                      ) : null
                    }
                  >
                    <div className="flex gap-2">
                      <FieldControl>
                        <Input
                          aria-label={`${spec.singular} ${i + 1}`}
                          value={entry}
                          spellCheck={false}
                          autoCapitalize="off"
                          className="font-mono text-sm"
                          onChange={(e) => onChange(entries.map((v, j) => (j === i ? e.target.value : v)))}
                        />
                      </FieldControl>
                      <Button
                        type="button"
                        variant="ghost"
                        size="icon"
                        aria-label={`Remove ${entry || `${spec.singular.toLowerCase()} ${i + 1}`}`}
                        onClick={() => onChange(entries.filter((_, j) => j !== i))}
                      >
                        <X aria-hidden />
                      </Button>
                    </div>
                    <FieldError />
                    <FieldDescription className="flex items-start gap-1.5" />
                  </Field>
                </li>
              );
            })}
          </ul>
        )}
        <div className="flex gap-2">
          <FieldControl>
            <Input
              aria-label={`New ${spec.singular.toLowerCase()}`}
              placeholder={spec.placeholder}
              value={draft}
              spellCheck={false}
              autoCapitalize="off"
              className="font-mono text-sm"
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  add();
                }
              }}
            />
          </FieldControl>
          <Button type="button" variant="outline" onClick={add} disabled={!draft.trim()}>
            <Plus aria-hidden />
            {spec.add}
          </Button>
        </div>
      </Field>
    </fieldset>
  );
}
