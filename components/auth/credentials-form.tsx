"use client";

import { Loader2 } from "lucide-react";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { LiveFieldset } from "@/components/ui/live-fieldset";
import { authClient } from "@/lib/api/auth-client";
import { safeNextPath } from "@/lib/safe-next-path";

type Mode = "sign-in" | "sign-up";

const MESSAGES: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: "Email or password is incorrect.",
  USER_ALREADY_EXISTS: "An account with this email already exists. Sign in instead.",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: "An account with this email already exists. Sign in instead.",
  PASSWORD_TOO_SHORT: "Use at least 8 characters.",
  INVALID_EMAIL: "Enter a valid email address.",
};

/** Email + password form for sign-in and sign-up; on success goes to `next` (same-site paths only). */
export function CredentialsForm({ mode, next }: { mode: Mode; next?: string }) {
  const [pending, setPending] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const errorId = React.useId();

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setPending(true);
    setError(null);
    const result =
      mode === "sign-in"
        ? await authClient.signIn.email({ email, password })
        : await authClient.signUp.email({
            email,
            password,
            name: String(form.get("name") ?? "").trim() || email,
          });
    if (result.error) {
      setPending(false);
      const code = result.error.code ?? "";
      setError(MESSAGES[code] ?? result.error.message ?? "Could not sign in. Try again.");
      return;
    }
    window.location.assign(safeNextPath(next));
  }

  const invalid = error ? { "aria-invalid": true, "aria-describedby": errorId } : {};
  return (
    // POST, so that even a native submission never puts the password in a URL.
    <form onSubmit={onSubmit} method="post" className="flex flex-col gap-4" noValidate={false}>
      <LiveFieldset>
        {mode === "sign-up" ? (
          <div className="flex flex-col gap-2">
            <Label htmlFor="name">Name</Label>
            <Input id="name" name="name" autoComplete="name" required maxLength={100} />
          </div>
        ) : null}
        <div className="flex flex-col gap-2">
          <Label htmlFor="email">Email</Label>
          <Input id="email" name="email" type="email" autoComplete="email" required {...invalid} />
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor="password">Password</Label>
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
            required
            minLength={8}
            {...invalid}
          />
          {mode === "sign-up" ? (
            <p className="text-xs text-muted-foreground">At least 8 characters.</p>
          ) : null}
        </div>
        {error ? (
          <p id={errorId} role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
          {mode === "sign-in" ? "Sign in" : "Create account"}
        </Button>
      </LiveFieldset>
    </form>
  );
}
