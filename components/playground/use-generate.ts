"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import * as React from "react";
import { newIdempotencyKey } from "@/lib/api/client";
import type { CreateJobBody, Job } from "@/lib/api/contract/jobs.schema";
import type { Product } from "@/lib/api/contract/products.schema";
import type { Upload } from "@/lib/api/contract/uploads.schema";
import { ApiError } from "@/lib/api/errors";
import { billingQueries } from "@/lib/api/queries/billing";
import { createJob, jobQueries, type PastedKey, uploadImage } from "@/lib/api/queries/jobs";
import { useHydrated } from "@/lib/use-hydrated";

export type GenerateVars = {
  body: CreateJobBody;
  file: File | null;
  needs: Product["needs"];
  idempotencyKey: string;
  secret: string | null;
};

export type Created = { job: Job; pastedKey: PastedKey | undefined };

/**
 * The Idempotency-Key the next Generate sends, and its setter. Drawn in the browser only, and shown
 * once hydrated: a key drawn during the server render would differ from the client's (a hydration
 * mismatch), and the key shown must be the key sent.
 */
export function useIdempotencyKey() {
  const [drawnKey, setIdempotencyKey] = React.useState(() =>
    typeof window === "undefined" ? "" : newIdempotencyKey(),
  );
  const hydrated = useHydrated();
  return [hydrated ? drawnKey : "", setIdempotencyKey] as const;
}

/**
 * Generate: uploads the chosen image (once per file and key), then POST /jobs with the given
 * Idempotency-Key. `renewKey` is called when the next request needs a new key: after a job is
 * created, and after a refusal that was settled under this one.
 */
export function useGenerate({ pasted, renewKey }: { pasted: boolean; renewKey: () => void }) {
  const queryClient = useQueryClient();
  const [created, setCreated] = React.useState<Created | null>(null);
  const uploads = React.useRef(new WeakMap<File, Map<string, Upload>>());

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
    meta: { pastedKey: pasted },
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
      renewKey();
      queryClient.setQueryData(
        jobQueries.detail(job.id, vars.secret ? { secret: vars.secret } : undefined).queryKey,
        job,
      );
      void queryClient.invalidateQueries({ queryKey: jobQueries.lists() });
      void queryClient.invalidateQueries({ queryKey: billingQueries.balance().queryKey });
      // The charge may have reached a usage alert (50/80/100% of a monthly credit limit).
      void queryClient.invalidateQueries({ queryKey: billingQueries.spendAlerts().queryKey });
    },
    onError: (error) => {
      // A settled refusal was stored under this key (or never ran): the next request gets a new one.
      // Retryable errors keep it (the countdown resends the same request); a conflict says why itself.
      if (ApiError.is(error) && !error.retryable && error.code !== "idempotency_conflict") renewKey();
    },
  });
  return { generate, created };
}
