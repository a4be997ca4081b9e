"use client";

import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Field, FieldControl, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/utils";

export type KeyMode = "session" | "pasted";

/** "This console session", or a pasted key secret — then every call uses it (its lists apply). */
export function KeyField({
  mode,
  onModeChange,
  secret,
  onSecretChange,
  error,
  requestId,
  code,
}: {
  mode: KeyMode;
  onModeChange: (mode: KeyMode) => void;
  secret: string;
  onSecretChange: (secret: string) => void;
  error?: string;
  requestId?: string | null;
  /** The server error's code, for the link to its page in the docs. */
  code?: string;
}) {
  const options: { value: KeyMode; label: string }[] = [
    { value: "session", label: "This console session" },
    { value: "pasted", label: "A key secret" },
  ];
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-2 text-sm font-medium">Key</legend>
      <div className="flex flex-wrap gap-2">
        {options.map((o) => (
          <label
            key={o.value}
            className={cn(
              "flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
              mode === o.value && "border-primary bg-accent",
            )}
          >
            <input
              type="radio"
              name="key-mode"
              value={o.value}
              checked={mode === o.value}
              onChange={() => onModeChange(o.value)}
              className="accent-primary"
            />
            {o.label}
          </label>
        ))}
      </div>
      {mode === "pasted" ? (
        <Field
          id="key-secret"
          className="gap-1.5"
          description={
            error
              ? null
              : "Every call then uses this key, so its allowed origins and IPs apply to this browser. It stays in this tab only."
          }
          error={error}
        >
          <FieldLabel>Key secret</FieldLabel>
          <FieldControl>
            <Input
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder="sk_live_…"
              className="font-mono"
              value={secret}
              onChange={(e) => onSecretChange(e.target.value.trim())}
            />
          </FieldControl>
          <FieldDescription />
          <FieldError footer={requestId ? <RequestIdCopy requestId={requestId} code={code} /> : null} />
        </Field>
      ) : null}
    </fieldset>
  );
}
