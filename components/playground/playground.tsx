"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2, RefreshCw, Sparkles } from "lucide-react";
import { parseAsString, useQueryState } from "nuqs";
import * as React from "react";
import { CodeSnippets } from "@/components/common/code-snippets";
import { ErrorUiRenderer } from "@/components/errors/error-ui-renderer";
import { useRetryAttempts } from "@/components/errors/use-retry-attempts";
import { PausedAlert } from "@/components/errors/paused-alert";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field, FieldControl, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { Textarea } from "@/components/ui/textarea";
import { newIdempotencyKey } from "@/lib/api/client";
import { MAX_PROMPT_LENGTH } from "@/lib/api/contract/constants";
import type { CreateJobBody, Job, JobParams } from "@/lib/api/contract/jobs.schema";
import type { Product } from "@/lib/api/contract/products.schema";
import type { Upload } from "@/lib/api/contract/uploads.schema";
import { ApiError } from "@/lib/api/errors";
import { billingQueries } from "@/lib/api/queries/billing";
import { createJob, jobQueries, keyPrefix, type PastedKey, uploadImage } from "@/lib/api/queries/jobs";
import { keyQueries } from "@/lib/api/queries/keys";
import { productQueries } from "@/lib/api/queries/products";
import { formatCredits } from "@/lib/format";
import { useHydrated } from "@/lib/use-hydrated";
import { placeError, type PlaygroundField } from "./job-errors";
import { KeyField, type KeyMode } from "./key-field";
import { LiveJob } from "./live-job";
import { precheckImage, SourceImageField } from "./source-image-field";

/** How the created job is shown (composed in app/: the jobs feature renders it). */
export type RenderJob = (job: Job, pastedKey: PastedKey | undefined) => React.ReactNode;

type GenerateVars = {
  body: CreateJobBody;
  file: File | null;
  needs: Product["needs"];
  idempotencyKey: string;
  secret: string | null;
};

type Created = { job: Job; pastedKey: PastedKey | undefined };

const PARAM_FIELDS = [
  { name: "width", label: "Width", min: 64, max: 2048, hint: "64–2048 px" },
  { name: "height", label: "Height", min: 64, max: 2048, hint: "64–2048 px" },
  { name: "seed", label: "Seed", min: 0, max: 2_147_483_647, hint: "Varies the output" },
  { name: "frames", label: "Frames", min: 2, max: 48, hint: "Video only: 2–48" },
] as const satisfies readonly { name: keyof JobParams & PlaygroundField; [k: string]: unknown }[];

type ParamName = (typeof PARAM_FIELDS)[number]["name"];

function buildParams(values: Record<ParamName, string>, video: boolean): JobParams | undefined {
  const params: JobParams = {};
  for (const { name } of PARAM_FIELDS) {
    if (name === "frames" && !video) continue;
    const raw = values[name].trim();
    // Sent as typed (the server validates ranges and says which field is wrong).
    if (raw !== "") params[name] = Number(raw);
  }
  return Object.keys(params).length ? params : undefined;
}

/** /playground: try a model with the console session or a pasted key, and watch the job finish. */
export function Playground({ renderJob }: { renderJob: RenderJob }) {
  const queryClient = useQueryClient();
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
  const [params, setParams] = React.useState<Record<ParamName, string>>({
    width: "",
    height: "",
    seed: "",
    frames: "",
  });
  const [file, setFile] = React.useState<File | null>(null);
  const [fileError, setFileError] = React.useState<string | null>(null);
  const [keyMode, setKeyMode] = React.useState<KeyMode>("session");
  const [secret, setSecret] = React.useState("");
  const [keyError, setKeyError] = React.useState<string | null>(null);
  // Drawn in the browser only, and shown once hydrated: a key drawn during the server render would
  // differ from the client's (a hydration mismatch), and the key shown must be the key sent.
  const [drawnKey, setIdempotencyKey] = React.useState(() =>
    typeof window === "undefined" ? "" : newIdempotencyKey(),
  );
  const hydrated = useHydrated();
  const idempotencyKey = hydrated ? drawnKey : "";
  const [created, setCreated] = React.useState<Created | null>(null);
  const uploads = React.useRef(new WeakMap<File, Map<string, Upload>>());

  const jobParams = buildParams(params, video);
  const body: CreateJobBody = { product: productId, prompt, ...(jobParams ? { params: jobParams } : {}) };

  /** One upload per file and key: a retried Generate does not upload it again. */
  async function uploadOnce(chosen: File, secretUsed: string | null): Promise<Upload> {
    const who = secretUsed ?? "session";
    let byKey = uploads.current.get(chosen);
    if (!byKey) uploads.current.set(chosen, (byKey = new Map()));
    const cached = byKey.get(who);
    if (cached) return cached;
    const upload = await uploadImage(chosen, {
      idempotencyKey: newIdempotencyKey(),
      apiKey: secretUsed ?? undefined,
    });
    byKey.set(who, upload);
    return upload;
  }

  const generate = useMutation({
    meta: { pastedKey: keyMode === "pasted" },
    // 429/503 are retried in view by the countdown (same Idempotency-Key), not silently.
    retry: false,
    mutationFn: async (vars: GenerateVars) => {
      let jobBody = vars.body;
      if (vars.file && vars.needs) {
        const upload = await uploadOnce(vars.file, vars.secret);
        jobBody = { ...jobBody, [vars.needs]: upload.url };
      }
      return createJob(jobBody, { idempotencyKey: vars.idempotencyKey, apiKey: vars.secret ?? undefined });
    },
    onSuccess: (job, vars) => {
      setCreated({ job, pastedKey: vars.secret ? { secret: vars.secret } : undefined });
      setIdempotencyKey(newIdempotencyKey());
      queryClient.setQueryData(
        jobQueries.detail(job.id, vars.secret ? { secret: vars.secret } : undefined).queryKey,
        job,
      );
      void queryClient.invalidateQueries({ queryKey: jobQueries.lists() });
      void queryClient.invalidateQueries({ queryKey: billingQueries.balance().queryKey });
    },
    onError: (error) => {
      // A settled refusal was stored under this key (or never ran): the next request gets a new one.
      // Retryable errors keep it (the countdown resends the same request); a conflict says why itself.
      if (ApiError.is(error) && !error.retryable && error.code !== "idempotency_conflict") {
        setIdempotencyKey(newIdempotencyKey());
      }
    },
  });
  const [attempt, nextAttempt] = useRetryAttempts(generate.data);

  const usedPastedKey = Boolean(generate.variables?.secret);
  const placed = generate.error ? placeError(generate.error, usedPastedKey) : { fields: {}, rest: null };
  const fields: Partial<Record<PlaygroundField, string>> = placed.fields;
  const requestId = ApiError.is(generate.error) ? generate.error.requestId : null;
  const errorCode = ApiError.is(generate.error) ? generate.error.code : undefined;
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

  // Under a server error placed on a field: its request id and the link to its code's docs.
  const errorFooter = requestId ? <RequestIdCopy requestId={requestId} code={errorCode} /> : null;
  const productHint = product
    ? `${product.kind === "video" ? "Video" : "Image"} · ${
        product.needs === "source_image_url"
          ? "prompt + source image"
          : product.needs === "start_image_url"
            ? "prompt + start image"
            : "prompt only"
      } · ${formatCredits(product.price_credits)} per job`
    : productId
      ? "Not in the catalog: the server will say so."
      : "Choose what to run.";

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
              <Field
                id="product"
                className="gap-1.5"
                description={fields.product ? null : productHint}
                error={fields.product}
              >
                <FieldLabel>Product</FieldLabel>
                {products.isPending ? (
                  <Skeleton className="h-9 w-full" />
                ) : products.isLoadingError ? (
                  <ErrorUiRenderer error={products.error} onRetry={() => void products.refetch()} />
                ) : (
                  <Select value={productId} onValueChange={(v) => void setProductParam(v)}>
                    <FieldControl>
                      <SelectTrigger className="w-full">
                        <SelectValue placeholder="Choose a product" />
                      </SelectTrigger>
                    </FieldControl>
                    <SelectContent>
                      {productList?.map((p) => (
                        <SelectItem key={p.id} value={p.id}>
                          {p.name} · {formatCredits(p.price_credits)}
                          {p.status === "paused" ? " · Paused" : ""}
                        </SelectItem>
                      ))}
                      {productId && !product ? (
                        <SelectItem value={productId}>Unknown product ({productId})</SelectItem>
                      ) : null}
                    </SelectContent>
                  </Select>
                )}
                <FieldDescription />
                <FieldError footer={errorFooter} />
              </Field>

              {product?.status === "paused" && !pausedErrorShown ? (
                <PausedAlert productName={product.name} />
              ) : null}

              <Field
                id="prompt"
                className="gap-1.5"
                description={
                  fields.prompt ? null : (
                    <>
                      {prompt.length} / {MAX_PROMPT_LENGTH} · test triggers: <code>!fail</code>,{" "}
                      <code>!fail-once</code>, <code>!unavailable</code>
                    </>
                  )
                }
                error={fields.prompt}
              >
                <FieldLabel>Prompt</FieldLabel>
                <FieldControl>
                  <Textarea
                    rows={4}
                    value={prompt}
                    onChange={(e) => setPrompt(e.target.value)}
                    placeholder="A lighthouse at dawn, watercolor"
                  />
                </FieldControl>
                <FieldDescription className="tabular-nums" />
                <FieldError footer={errorFooter} />
              </Field>

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

              <details className="group rounded-md border px-3 py-2">
                <summary className="cursor-pointer text-sm font-medium">Options</summary>
                <div className="mt-3 grid grid-cols-2 gap-3">
                  {PARAM_FIELDS.filter((f) => f.name !== "frames" || video).map((f) => (
                    <Field
                      key={f.name}
                      id={`param-${f.name}`}
                      className="gap-1.5"
                      description={fields[f.name] ? null : f.hint}
                      error={fields[f.name]}
                    >
                      <FieldLabel>{f.label}</FieldLabel>
                      <FieldControl>
                        <Input
                          type="number"
                          inputMode="numeric"
                          min={f.min}
                          max={f.max}
                          value={params[f.name]}
                          onChange={(e) => setParams((p) => ({ ...p, [f.name]: e.target.value }))}
                        />
                      </FieldControl>
                      <FieldDescription />
                      <FieldError footer={errorFooter} />
                    </Field>
                  ))}
                  <Field
                    id="idempotency-key"
                    className="col-span-2 gap-1.5"
                    description="Sent with Generate and with its automatic retries, so nothing runs or is charged twice. A new one is made after each answer."
                  >
                    <FieldLabel>Idempotency-Key</FieldLabel>
                    <div className="flex gap-2">
                      <FieldControl>
                        <Input
                          className="font-mono text-xs"
                          value={idempotencyKey}
                          onChange={(e) => setIdempotencyKey(e.target.value)}
                        />
                      </FieldControl>
                      <Button
                        type="button"
                        variant="outline"
                        size="icon"
                        aria-label="New Idempotency-Key"
                        onClick={() => setIdempotencyKey(newIdempotencyKey())}
                      >
                        <RefreshCw aria-hidden />
                      </Button>
                    </div>
                    <FieldDescription />
                  </Field>
                </div>
              </details>

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

        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Result</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              {created ? (
                <LiveJob
                  key={created.job.id}
                  created={created.job}
                  pastedKey={created.pastedKey}
                  render={renderJob}
                />
              ) : (
                <p className="text-sm text-muted-foreground">
                  Generate to see the job here, live: queued, running, then its output.
                </p>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>From your code</h2>
              </CardTitle>
              <CardDescription>
                The same request from a program, with the Idempotency-Key this Generate sends.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <CodeSnippets
                request={{
                  keyPrefix: keyMode === "pasted" && secret ? keyPrefix(secret) : undefined,
                  method: "POST",
                  path: "/jobs",
                  body,
                  idempotencyKey,
                  upload: needs && file ? { fileName: file.name, field: needs } : undefined,
                }}
              />
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}
