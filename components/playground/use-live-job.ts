"use client";

import { useQuery } from "@tanstack/react-query";
import { useLiveStatus } from "@/components/providers/live-events";
import type { Job } from "@/lib/api/contract/jobs.schema";
import { ApiError } from "@/lib/api/errors";
import { isUnfinished, JOB_POLL_MS, jobQueries, type PastedKey } from "@/lib/api/queries/jobs";
import { keyQueries } from "@/lib/api/queries/keys";

/**
 * A job created in the playground, kept up to date until it finishes — with the pasted key when one made
 * it. Its end comes from the event stream (into every cached copy of the job, this one included); while
 * the stream is down, or for a key of another account, it is re-read every 2 s. A browser sends no Origin on a same-origin GET, so a key
 * that lists origins refuses those reads (origin_not_allowed with origin null); then progress is read
 * with the console session instead.
 */
export function useLiveJob(created: Job, pastedKey: PastedKey | undefined) {
  // The stream carries this account's events: a pasted key of another account's job is polled.
  const keys = useQuery(keyQueries.list());
  const ours = !pastedKey || Boolean(keys.data?.data.some((k) => k.id === created.key_id));
  const streaming = useLiveStatus() === "live" && ours;
  const poll = (data: Job | undefined) => (!streaming && data && isUnfinished(data) ? JOB_POLL_MS : false);
  const viaKey = useQuery({
    ...jobQueries.detail(created.id, pastedKey),
    initialData: created,
    initialDataUpdatedAt: 0,
    meta: { pastedKey: Boolean(pastedKey) },
    refetchInterval: (q) => (q.state.error ? false : poll(q.state.data)),
  });
  const originless =
    Boolean(pastedKey) &&
    ApiError.is(viaKey.error) &&
    viaKey.error.code === "origin_not_allowed" &&
    (viaKey.error.details.origin ?? null) === null;
  const viaSession = useQuery({
    ...jobQueries.detail(created.id),
    enabled: originless,
    refetchInterval: (q) => poll(q.state.data),
  });
  const active = originless ? viaSession : viaKey;
  return {
    job: active.data ?? viaKey.data,
    error: active.error,
    refetch: () => void active.refetch(),
    readWithSession: originless,
  };
}
