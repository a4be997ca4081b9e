"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import type * as React from "react";
import { ErrorUiRenderer } from "@/components/errors/error-ui-renderer";
import { Button } from "@/components/ui/button";
import { Field, FieldControl, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ChoiceSelect } from "@/components/ui/choice-select";
import { Skeleton } from "@/components/ui/skeleton";
import { Textarea } from "@/components/ui/textarea";
import { newIdempotencyKey } from "@/lib/api/client";
import { MAX_PROMPT_LENGTH } from "@/lib/api/contract/constants";
import type { JobParams } from "@/lib/api/contract/jobs.schema";
import type { Product } from "@/lib/api/contract/products.schema";
import { formatCredits } from "@/lib/format";
import type { PlaygroundField } from "./job-errors";

/** A field's server error (placed on it by `placeError`) and what goes under it (request id, docs). */
type FieldErrorProps = { error?: string; errorFooter: React.ReactNode };

const PARAM_FIELDS = [
  { name: "width", label: "Width", min: 64, max: 2048, hint: "64–2048 px" },
  { name: "height", label: "Height", min: 64, max: 2048, hint: "64–2048 px" },
  { name: "seed", label: "Seed", min: 0, max: 2_147_483_647, hint: "Varies the output" },
  { name: "frames", label: "Frames", min: 2, max: 48, hint: "Video only: 2–48" },
] as const satisfies readonly { name: keyof JobParams & PlaygroundField; [k: string]: unknown }[];

export type ParamName = (typeof PARAM_FIELDS)[number]["name"];
export type ParamValues = Record<ParamName, string>;
export const NO_PARAMS: ParamValues = { width: "", height: "", seed: "", frames: "" };

/** The params as typed (the server validates ranges and says which field is wrong); frames for video only. */
export function buildParams(values: ParamValues, video: boolean): JobParams | undefined {
  const params: JobParams = {};
  for (const { name } of PARAM_FIELDS) {
    if (name === "frames" && !video) continue;
    const raw = values[name].trim();
    if (raw !== "") params[name] = Number(raw);
  }
  return Object.keys(params).length ? params : undefined;
}

function productHint(product: Product | undefined, productId: string): string {
  if (!product) return productId ? "Not in the catalog: the server will say so." : "Choose what to run.";
  const inputs =
    product.needs === "source_image_url"
      ? "prompt + source image"
      : product.needs === "start_image_url"
        ? "prompt + start image"
        : "prompt only";
  return `${product.kind === "video" ? "Video" : "Image"} · ${inputs} · ${formatCredits(product.price_credits)} per job`;
}

/** What the picker shows for a product: its name, price and whether it is paused. */
function productLabel(p: Product): string {
  return `${p.name} · ${formatCredits(p.price_credits)}${p.status === "paused" ? " · Paused" : ""}`;
}

/** The product picker (the catalog, paused ones marked; an id from the URL that is not in it). */
export function ProductField({
  products,
  productId,
  product,
  onChange,
  error,
  errorFooter,
}: {
  products: UseQueryResult<{ data: Product[] }>;
  productId: string;
  product: Product | undefined;
  onChange: (id: string) => void;
} & FieldErrorProps) {
  return (
    <Field
      id="product"
      className="gap-1.5"
      description={error ? null : productHint(product, productId)}
      error={error}
    >
      <FieldLabel>Product</FieldLabel>
      {products.isPending ? (
        <Skeleton className="h-9 w-full" />
      ) : products.isLoadingError ? (
        <ErrorUiRenderer error={products.error} onRetry={() => void products.refetch()} />
      ) : (
        <FieldControl>
          <ChoiceSelect
            className="w-full"
            value={productId}
            onValueChange={onChange}
            placeholder="Choose a product"
            choices={[
              ...(products.data?.data ?? []).map((p) => ({ value: p.id, label: productLabel(p) })),
              ...(productId && !product
                ? [{ value: productId, label: `Unknown product (${productId})` }]
                : []),
            ]}
          />
        </FieldControl>
      )}
      <FieldDescription />
      <FieldError footer={errorFooter} />
    </Field>
  );
}

/** The prompt, with its length and the demo's test triggers. */
export function PromptField({
  prompt,
  onChange,
  error,
  errorFooter,
}: { prompt: string; onChange: (prompt: string) => void } & FieldErrorProps) {
  return (
    <Field
      id="prompt"
      className="gap-1.5"
      description={
        error ? null : (
          <>
            {prompt.length} / {MAX_PROMPT_LENGTH} · test triggers: <code>!fail</code>, <code>!fail-once</code>
            , <code>!unavailable</code>
          </>
        )
      }
      error={error}
    >
      <FieldLabel>Prompt</FieldLabel>
      <FieldControl>
        <Textarea
          rows={4}
          value={prompt}
          onChange={(e) => onChange(e.target.value)}
          placeholder="A lighthouse at dawn, watercolor"
        />
      </FieldControl>
      <FieldDescription className="tabular-nums" />
      <FieldError footer={errorFooter} />
    </Field>
  );
}

/** "Options": the job's params (frames for video only) and the Idempotency-Key Generate sends. */
export function OptionsSection({
  params,
  onParamsChange,
  video,
  errors,
  errorFooter,
  idempotencyKey,
  onIdempotencyKeyChange,
}: {
  params: ParamValues;
  onParamsChange: (update: (params: ParamValues) => ParamValues) => void;
  video: boolean;
  errors: Partial<Record<PlaygroundField, string>>;
  errorFooter: React.ReactNode;
  idempotencyKey: string;
  onIdempotencyKeyChange: (key: string) => void;
}) {
  return (
    <details className="group rounded-md border px-3 py-2">
      <summary className="cursor-pointer text-sm font-medium">Options</summary>
      <div className="mt-3 grid grid-cols-2 gap-3">
        {PARAM_FIELDS.filter((f) => f.name !== "frames" || video).map((f) => (
          <Field
            key={f.name}
            id={`param-${f.name}`}
            className="gap-1.5"
            description={errors[f.name] ? null : f.hint}
            error={errors[f.name]}
          >
            <FieldLabel>{f.label}</FieldLabel>
            <FieldControl>
              <Input
                type="number"
                inputMode="numeric"
                min={f.min}
                max={f.max}
                value={params[f.name]}
                onChange={(e) => onParamsChange((p) => ({ ...p, [f.name]: e.target.value }))}
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
                onChange={(e) => onIdempotencyKeyChange(e.target.value)}
              />
            </FieldControl>
            <Button
              type="button"
              variant="outline"
              size="icon"
              aria-label="New Idempotency-Key"
              onClick={() => onIdempotencyKeyChange(newIdempotencyKey())}
            >
              <RefreshCw aria-hidden />
            </Button>
          </div>
          <FieldDescription />
        </Field>
      </div>
    </details>
  );
}
