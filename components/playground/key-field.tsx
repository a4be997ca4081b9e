"use client";

import { FieldError } from "@/components/errors/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
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
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="key-secret">Key secret</Label>
          <Input
            id="key-secret"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="sk_live_…"
            className="font-mono"
            value={secret}
            onChange={(e) => onSecretChange(e.target.value.trim())}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "key-secret-error" : "key-secret-hint"}
          />
          {error ? (
            <FieldError id="key-secret-error" message={error} requestId={requestId} code={code} />
          ) : (
            <p id="key-secret-hint" className="text-xs text-muted-foreground">
              Every call then uses this key, so its allowed origins and IPs apply to this browser. It stays in
              this tab only.
            </p>
          )}
        </div>
      ) : null}
    </fieldset>
  );
}
