"use client";

import * as React from "react";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Field, FieldControl, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { UPLOAD_CONTENT_TYPES } from "@/lib/api/contract/constants";

/** The documented default of MAX_UPLOAD_BYTES. A pre-check only: the server stays the authority. */
export const UPLOAD_PRECHECK_BYTES = 10 * 1024 * 1024;

/** A client-side look at a chosen file before anything is sent: too big is said at once. */
export function precheckImage(file: File): string | null {
  if (file.size > UPLOAD_PRECHECK_BYTES) {
    return `Image too large: this file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${
      UPLOAD_PRECHECK_BYTES / 1024 / 1024
    } MB. Use a smaller image.`;
  }
  return null;
}

export function SourceImageField({
  label,
  file,
  onFileChange,
  error,
  requestId,
  code,
}: {
  label: string;
  file: File | null;
  onFileChange: (file: File | null) => void;
  error?: string | null;
  requestId?: string | null;
  /** The server error's code, for the link to its page in the docs. */
  code?: string;
}) {
  const [preview, setPreview] = React.useState<string | null>(null);
  const latest = React.useRef<string | null>(null);
  React.useEffect(() => () => void (latest.current && URL.revokeObjectURL(latest.current)), []);

  function choose(next: File | null) {
    if (latest.current) URL.revokeObjectURL(latest.current);
    latest.current = next ? URL.createObjectURL(next) : null;
    setPreview(latest.current);
    onFileChange(next);
  }

  return (
    <Field
      id="source-image"
      className="gap-1.5"
      description={
        error
          ? null
          : `PNG, JPEG or WebP, up to ${UPLOAD_PRECHECK_BYTES / 1024 / 1024} MB. Uploaded when you generate.`
      }
      error={error}
    >
      <FieldLabel>{label}</FieldLabel>
      <FieldControl>
        <Input
          type="file"
          accept={UPLOAD_CONTENT_TYPES.join(",")}
          onChange={(e) => choose(e.target.files?.[0] ?? null)}
        />
      </FieldControl>
      <FieldDescription />
      <FieldError footer={requestId ? <RequestIdCopy requestId={requestId} code={code} /> : null} />
      {file && preview ? (
        <div className="flex items-center gap-3 text-xs text-muted-foreground">
          {/* eslint-disable-next-line @next/next/no-img-element -- a local blob: preview of the chosen file */}
          <img src={preview} alt="Chosen image" className="size-16 rounded-md border object-cover" />
          <span className="break-all">
            {file.name} · {(file.size / 1024).toFixed(0)} KB
          </span>
        </div>
      ) : null}
    </Field>
  );
}
