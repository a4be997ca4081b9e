"use client";

import { useMutation } from "@tanstack/react-query";
import { CheckCircle2, Loader2 } from "lucide-react";
import * as React from "react";
import { AllowlistDenial } from "@/components/errors/allowlist-denial";
import { ErrorState } from "@/components/errors/error-state";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Field, FieldControl, FieldError, FieldLabel } from "@/components/ui/field";
import type { Key, KeyCheck } from "@/lib/api/contract/keys.schema";
import { fieldErrors } from "@/lib/api/error-ui";
import { ApiError } from "@/lib/api/errors";
import { keyApi } from "@/lib/api/queries/keys";

const RESULT_LABEL: Record<KeyCheck["ip"]["result"], string> = {
  allowed: "allowed",
  denied: "refused",
  unrestricted: "unrestricted",
  not_checked: "not checked",
};

/** "Would this origin/IP be allowed?", answered by the middleware's own matcher (POST /keys/{id}/check). */
export function KeyTester({ keyData }: { keyData: Key }) {
  const [origin, setOrigin] = React.useState("");
  const [ip, setIp] = React.useState("");
  const check = useMutation({ mutationFn: keyApi.check });
  const fields = fieldErrors(check.error);

  function run() {
    check.mutate({
      id: keyData.id,
      origin: origin.trim() || null,
      ...(ip.trim() ? { ip: ip.trim() } : {}),
    });
  }

  const result = check.data;
  const denial =
    result && (result.code === "origin_not_allowed" || result.code === "ip_not_allowed")
      ? new ApiError({
          code: result.code,
          status: 403,
          message: result.message,
          details:
            result.code === "origin_not_allowed" ? { origin: result.origin.value } : { ip: result.ip.value },
        })
      : null;

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Test a request</h2>
        </CardTitle>
        <CardDescription>
          Would this origin/IP be allowed? Leave the origin empty for a server-side call (no Origin header),
          the IP empty to skip it.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <form
          className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
          onSubmit={(event) => {
            event.preventDefault();
            run();
          }}
        >
          <Field error={fields.origin}>
            <FieldLabel>Origin</FieldLabel>
            <FieldControl>
              <Input
                value={origin}
                placeholder="https://app.example.com"
                spellCheck={false}
                autoCapitalize="off"
                className="font-mono text-sm"
                onChange={(e) => setOrigin(e.target.value)}
              />
            </FieldControl>
            <FieldError />
          </Field>
          <Field error={fields.ip}>
            <FieldLabel>IP address</FieldLabel>
            <FieldControl>
              <Input
                value={ip}
                placeholder="203.0.113.7"
                spellCheck={false}
                className="font-mono text-sm"
                onChange={(e) => setIp(e.target.value)}
              />
            </FieldControl>
            <FieldError />
          </Field>
          <Button type="submit" variant="secondary" disabled={check.isPending}>
            {check.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
            Check
          </Button>
        </form>

        {check.error && !Object.keys(fields).length ? <ErrorState error={check.error} /> : null}

        {result ? (
          <div className="flex flex-col gap-3">
            {denial ? (
              <AllowlistDenial error={denial} keyId={keyData.id} onAllowed={run} />
            ) : (
              <div
                role="status"
                className={
                  result.allowed
                    ? "flex items-start gap-2 rounded-lg border border-success/40 bg-success/10 p-3 text-sm"
                    : "flex items-start gap-2 rounded-lg border border-warning/50 bg-warning/10 p-3 text-sm"
                }
              >
                {result.allowed ? (
                  <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
                ) : null}
                <div className="flex flex-col gap-0.5">
                  <p className="font-medium">{result.allowed ? "Allowed" : `Refused: ${result.code}`}</p>
                  <p className="text-muted-foreground">{result.message}</p>
                </div>
              </div>
            )}
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-muted-foreground">IP check</dt>
              <dd>
                {RESULT_LABEL[result.ip.result]}
                {result.ip.matched ? (
                  <>
                    {" "}
                    by <code className="font-mono text-xs">{result.ip.matched}</code>
                  </>
                ) : null}
              </dd>
              <dt className="text-muted-foreground">Origin check</dt>
              <dd>
                {RESULT_LABEL[result.origin.result]}
                {result.origin.matched ? (
                  <>
                    {" "}
                    by <code className="font-mono text-xs">{result.origin.matched}</code>
                  </>
                ) : null}
              </dd>
            </dl>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
