"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import * as React from "react";
import { toast } from "@/lib/toast";
import { ErrorState } from "@/components/errors/error-state";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { DurationSelect } from "./duration-select";
import { SHADOW_DURATION_CHOICES } from "@/lib/api/contract/constants";
import type { Key } from "@/lib/api/contract/keys.schema";
import { fieldErrors, toErrorUi } from "@/lib/api/error-ui";
import { keyApi, storeKey } from "@/lib/api/queries/keys";
import { AllowlistEditor, entryErrors } from "./allowlist-editor";
import { AllowlistImpactPreview } from "./allowlist-preview";
import { KeyShadowPanel } from "./key-shadow";

const same = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Both allowlists of a key, edited together and saved in one PATCH; server errors land on their entry. */
export function KeyAllowlists({ keyData }: { keyData: Key }) {
  const queryClient = useQueryClient();
  const [origins, setOrigins] = React.useState(keyData.allowed_origins);
  const [ips, setIps] = React.useState(keyData.allowed_ips);
  // When the key changes elsewhere (Allow, another tab), start again from the server's lists.
  const [base, setBase] = React.useState(keyData);
  if (base.allowed_origins !== keyData.allowed_origins || base.allowed_ips !== keyData.allowed_ips) {
    setBase(keyData);
    setOrigins(keyData.allowed_origins);
    setIps(keyData.allowed_ips);
  }

  const save = useMutation({
    mutationFn: keyApi.update,
    onSuccess: (key) => {
      storeKey(queryClient, key);
      toast.success("Allowlists saved", {
        description: `${key.allowed_origins.length} origin(s), ${key.allowed_ips.length} IP range(s) on ${key.name}.`,
      });
    },
  });

  const shadow = useMutation({
    mutationFn: keyApi.startShadow,
    onSuccess: (key) => {
      storeKey(queryClient, key);
      // The draft now lives in the shadow panel; the editor shows the enforced lists again.
      setOrigins(key.allowed_origins);
      setIps(key.allowed_ips);
      toast.success("Saved as shadow", {
        description: `${key.name} keeps its allowlists; requests the new ones would refuse are flagged.`,
      });
    },
  });
  const [period, setPeriod] = React.useState(String(SHADOW_DURATION_CHOICES[1].seconds));
  const periodId = React.useId();
  const [submitted, setSubmitted] = React.useState<"save" | "shadow">("save");
  const active = submitted === "shadow" ? shadow : save;

  const dirty = !same(origins, keyData.allowed_origins) || !same(ips, keyData.allowed_ips);
  const fields = fieldErrors(active.error);
  const hasFieldErrors = Object.keys(fields).length > 0;
  const pending = save.isPending || shadow.isPending;
  const revoked = keyData.status === "revoked";

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Allowlists</h2>
        </CardTitle>
        <CardDescription>
          Empty lists leave the key unrestricted. With both set, a request must pass both.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-col gap-6"
          onSubmit={(event) => {
            event.preventDefault();
            const allowed_origins = origins.map((o) => o.trim()).filter(Boolean);
            const allowed_ips = ips.map((i) => i.trim()).filter(Boolean);
            setOrigins(allowed_origins);
            setIps(allowed_ips);
            // Which button submitted: Save enforces the lists, Save as shadow only tries them.
            const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
            if (submitter?.value === "shadow") {
              setSubmitted("shadow");
              save.reset();
              shadow.mutate({
                id: keyData.id,
                allowed_origins,
                allowed_ips,
                duration_seconds: Number(period),
              });
            } else {
              setSubmitted("save");
              shadow.reset();
              save.mutate({ id: keyData.id, allowed_origins, allowed_ips });
            }
          }}
        >
          <div className="grid gap-6 md:grid-cols-2">
            <AllowlistEditor
              kind="origin"
              entries={origins}
              onChange={setOrigins}
              errors={entryErrors(fields, "origin")}
              disabled={revoked}
            />
            <AllowlistEditor
              kind="ip"
              entries={ips}
              onChange={setIps}
              errors={entryErrors(fields, "ip")}
              disabled={revoked}
            />
          </div>
          {dirty && !revoked ? (
            <AllowlistImpactPreview keyId={keyData.id} origins={origins} ips={ips} />
          ) : null}
          {hasFieldErrors ? (
            <div role="alert" className="flex flex-col gap-1">
              <p className="text-sm text-destructive">
                {toErrorUi(active.error).title}: fix the entries marked above, then save again.
              </p>
              <RequestIdCopy
                requestId={toErrorUi(active.error).requestId}
                code={toErrorUi(active.error).code}
              />
            </div>
          ) : active.error ? (
            <ErrorState error={active.error} />
          ) : null}
          <div className="flex flex-wrap items-end gap-2">
            <Button type="submit" value="save" disabled={!dirty || pending || revoked}>
              {save.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              Save allowlists
            </Button>
            <Button type="submit" value="shadow" variant="secondary" disabled={!dirty || pending || revoked}>
              {shadow.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              Save as shadow
            </Button>
            <div className="flex items-center gap-2">
              <Label htmlFor={periodId} className="text-sm font-normal text-muted-foreground">
                Shadow for
              </Label>
              <DurationSelect
                id={periodId}
                className="w-32"
                value={period}
                onValueChange={setPeriod}
                choices={SHADOW_DURATION_CHOICES}
                disabled={revoked}
              />
            </div>
            <Button
              type="button"
              variant="outline"
              disabled={!dirty || pending}
              onClick={() => {
                setOrigins(keyData.allowed_origins);
                setIps(keyData.allowed_ips);
                save.reset();
                shadow.reset();
              }}
            >
              Discard changes
            </Button>
          </div>
        </form>
        {keyData.shadow && !revoked ? (
          <div className="mt-6">
            <KeyShadowPanel keyData={keyData} shadow={keyData.shadow} />
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
