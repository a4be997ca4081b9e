"use client";

import { Loader2 } from "lucide-react";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldControl, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
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
export function CredentialsForm({
  mode,
  next,
  defaultEmail,
}: {
  mode: Mode;
  next?: string;
  /** Prefilled, e.g. the invited address when coming from an invitation's page. */
  defaultEmail?: string;
}) {
  const [pending, setPending] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);

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

  return (
    // POST, so that even a native submission never puts the password in a URL.
    <form onSubmit={onSubmit} method="post" className="flex flex-col gap-4" noValidate={false}>
      <LiveFieldset>
        {mode === "sign-up" ? (
          <Field id="name">
            <FieldLabel>Name</FieldLabel>
            <FieldControl>
              <Input name="name" autoComplete="name" required maxLength={100} />
            </FieldControl>
          </Field>
        ) : null}
        {/* The error is about the pair: it shows under Password and describes both controls. */}
        <Field id="email" invalid={error ? true : undefined}>
          <FieldLabel>Email</FieldLabel>
          <FieldControl aria-describedby={error ? "password-error" : undefined}>
            <Input name="email" type="email" autoComplete="email" required defaultValue={defaultEmail} />
          </FieldControl>
        </Field>
        <Field
          id="password"
          description={mode === "sign-up" ? "At least 8 characters." : undefined}
          error={error}
        >
          <FieldLabel>Password</FieldLabel>
          <FieldControl>
            <Input
              name="password"
              type="password"
              autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
              required
              minLength={8}
            />
          </FieldControl>
          <FieldDescription />
          <FieldError role="alert" />
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
          {mode === "sign-in" ? "Sign in" : "Create account"}
        </Button>
      </LiveFieldset>
    </form>
  );
}
