"use client";

import { useQuery } from "@tanstack/react-query";
import { Loader2, Sparkles } from "lucide-react";
import { parseAsString, useQueryState } from "nuqs";
import * as React from "react";
import { ErrorUiRenderer } from "@/components/errors/error-ui-renderer";
import { PausedAlert } from "@/components/errors/paused-alert";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { useRetryAttempts } from "@/components/errors/use-retry-attempts";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { newIdempotencyKey } from "@/lib/api/client";
import type { CreateJobBody } from "@/lib/api/contract/jobs.schema";
import { ApiError } from "@/lib/api/errors";
import { keyPrefix } from "@/lib/api/queries/jobs";
import { keyQueries } from "@/lib/api/queries/keys";
import { productQueries } from "@/lib/api/queries/products";
import { formatCredits } from "@/lib/format";
import { placeError, type PlaygroundField } from "./job-errors";
import { KeyField, type KeyMode } from "./key-field";
import type { RenderJob } from "./live-job";
import { buildParams, NO_PARAMS, OptionsSection, ProductField, PromptField } from "./request-fields";
import { ResultCards } from "./result-cards";
import { precheckImage, SourceImageField } from "./source-image-field";
import { useGenerate, useIdempotencyKey } from "./use-generate";

export type { RenderJob };

/** /playground: try a model with the console session or a pasted key, and watch the job finish. */
export function Playground({ renderJob }: { renderJob: RenderJob }) {
  const products = useQuery(productQueries.list());
  const keys = useQuery(keyQueries.list());
  const [productParam, setProductParam] = useQueryState(
    "product",
    parseAsString.withOptions({ history: "replace" }),
  );
  const productList = products.data?.data;
  const productId = productParam ?? productList?.find((p) => p.status === "active")?.id ?? "";
  const product = productList?.find((p) => p.id === productId);
  const needs = product?.needs ?? null;
  const video = product?.kind === "video";

  const [prompt, setPrompt] = React.useState("");
  const [params, setParams] = React.useState(NO_PARAMS);
  const [file, setFile] = React.useState<File | null>(null);
  const [fileError, setFileError] = React.useState<string | null>(null);
  const [keyMode, setKeyMode] = React.useState<KeyMode>("session");
  const [secret, setSecret] = React.useState("");
  const [keyError, setKeyError] = React.useState<string | null>(null);
  const [idempotencyKey, setIdempotencyKey] = useIdempotencyKey();
  const { generate, created } = useGenerate({
    pasted: keyMode === "pasted",
    renewKey: () => setIdempotencyKey(newIdempotencyKey()),
  });
  const [attempt, nextAttempt] = useRetryAttempts(generate.data);

  const jobParams = buildParams(params, video);
  const body: CreateJobBody = { product: productId, prompt, ...(jobParams ? { params: jobParams } : {}) };

  const usedPastedKey = Boolean(generate.variables?.secret);
  const placed = generate.error ? placeError(generate.error, usedPastedKey) : { fields: {}, rest: null };
  const fields: Partial<Record<PlaygroundField, string>> = placed.fields;
  const requestId = ApiError.is(generate.error) ? generate.error.requestId : null;
  const errorCode = ApiError.is(generate.error) ? generate.error.code : undefined;
  // Under a server error placed on a field: its request id and the link to its code's docs.
  const errorFooter = requestId ? <RequestIdCopy requestId={requestId} code={errorCode} /> : null;
  const sourceError = fileError ?? fields.source ?? null;
  const keyFieldError = keyError ?? fields.key;
  const pastedKeyRecord = usedPastedKey
    ? keys.data?.data.find((k) => k.prefix === keyPrefix(generate.variables!.secret!))
    : undefined;
  const pausedErrorShown = ApiError.is(placed.rest) && placed.rest.code === "product_paused";
  // Unfinished = queued + running, and GET /jobs filters one status: the key's jobs, newest (and so the
  // unfinished) first, with their live status.
  const queueHref = pastedKeyRecord ? `/jobs?key=${encodeURIComponent(pastedKeyRecord.id)}` : "/jobs";

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (keyMode === "pasted" && !secret) {
      setKeyError("Paste a key secret (sk_live_…), or use this console session.");
      document.getElementById("key-secret")?.focus();
      return;
    }
    setKeyError(null);
    if (needs && file && fileError) {
      document.getElementById("source-image")?.focus();
      return;
    }
    generate.mutate({
      body,
      file: needs ? file : null,
      needs,
      idempotencyKey,
      secret: keyMode === "pasted" ? secret : null,
    });
  }

  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Playground</h1>
        <p className="text-sm text-muted-foreground">
          Run a model as your programs would: with this console session, or with one of your keys.
        </p>
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Request</h2>
            </CardTitle>
            <CardDescription>POST /api/v1/jobs, the price debited when the job is created.</CardDescription>
          </CardHeader>
          <CardContent>
            <form className="flex flex-col gap-5" noValidate onSubmit={submit} aria-label="New job">
              <ProductField
                products={products}
                productId={productId}
                product={product}
                onChange={(v) => void setProductParam(v)}
                error={fields.product}
                errorFooter={errorFooter}
              />

              {product?.status === "paused" && !pausedErrorShown ? (
                <PausedAlert productName={product.name} />
              ) : null}

              <PromptField
                prompt={prompt}
                onChange={setPrompt}
                error={fields.prompt}
                errorFooter={errorFooter}
              />

              {needs ? (
                <SourceImageField
                  label={needs === "start_image_url" ? "Start image" : "Source image"}
                  file={file}
                  onFileChange={(next) => {
                    setFile(next);
                    setFileError(next ? precheckImage(next) : null);
                  }}
                  error={sourceError}
                  requestId={fileError ? null : requestId}
                  code={errorCode}
                />
              ) : null}

              <OptionsSection
                params={params}
                onParamsChange={setParams}
                video={video}
                errors={fields}
                errorFooter={errorFooter}
                idempotencyKey={idempotencyKey}
                onIdempotencyKeyChange={setIdempotencyKey}
              />

              <KeyField
                mode={keyMode}
                onModeChange={(m) => {
                  setKeyMode(m);
                  setKeyError(null);
                }}
                secret={secret}
                onSecretChange={setSecret}
                error={keyFieldError}
                requestId={keyError ? null : requestId}
                code={errorCode}
              />

              <div className="flex flex-wrap items-center gap-3">
                <Button type="submit" disabled={generate.isPending || !productId}>
                  {generate.isPending ? (
                    <Loader2 className="animate-spin" aria-hidden />
                  ) : (
                    <Sparkles aria-hidden />
                  )}
                  Generate
                </Button>
                {product ? (
                  <span className="text-sm text-muted-foreground">
                    Costs {formatCredits(product.price_credits)}; refunded if it fails.
                  </span>
                ) : null}
              </div>

              {placed.rest ? (
                <ErrorUiRenderer
                  error={placed.rest}
                  onRetry={() => {
                    if (!generate.variables) return;
                    nextAttempt();
                    generate.mutate(generate.variables);
                  }}
                  actions={{
                    "retry-countdown": { attempt },
                    "queue-full": { href: queueHref },
                    "allowlist-denial": {
                      keyId: pastedKeyRecord?.id ?? null,
                      onAllowed: () => generate.reset(),
                    },
                    conflict: {
                      onNewKey: () => {
                        setIdempotencyKey(newIdempotencyKey());
                        generate.reset();
                      },
                    },
                    paused: { productName: product?.name },
                    "top-up": {
                      // The 402 is stored under the first key: the re-run is a new request with the new key.
                      onResolved: () => {
                        if (generate.variables) generate.mutate({ ...generate.variables, idempotencyKey });
                      },
                      label: "Generate again",
                    },
                  }}
                />
              ) : null}
            </form>
          </CardContent>
        </Card>

        <ResultCards
          created={created}
          renderJob={renderJob}
          snippet={{
            keyPrefix: keyMode === "pasted" && secret ? keyPrefix(secret) : undefined,
            method: "POST",
            path: "/jobs",
            body,
            idempotencyKey,
            upload: needs && file ? { fileName: file.name, field: needs } : undefined,
          }}
        />
      </div>
    </div>
  );
}
