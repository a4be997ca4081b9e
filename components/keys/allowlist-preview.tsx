"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import * as React from "react";
import { ErrorState } from "@/components/errors/error-state";
import type { AllowlistPreview as Preview } from "@/lib/api/contract/keys.schema";
import { ApiError } from "@/lib/api/errors";
import { fieldErrors } from "@/lib/api/error-ui";
import { keyQueries } from "@/lib/api/queries/keys";
import { formatCount } from "@/lib/format/credits";
import { formatTimestamp, timeFromNow } from "@/lib/format/date";

const DEBOUNCE_MS = 400;

/** `value`, once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = React.useState(value);
  React.useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

const REASON = { ip_not_allowed: "IP not listed", origin_not_allowed: "origin not listed" } as const;

/** The headline a person reads first: how much of last week's traffic these lists would refuse. */
export function previewHeadline(p: Preview): string {
  if (p.total_requests === 0)
    return "No requests used this key in the last 7 days: nothing to compare against.";
  if (p.refused.requests === 0) {
    return `None of the ${plural(p.total_requests, "request")} of the last 7 days would be refused.`;
  }
  return `${plural(p.refused.requests, "request")} from ${plural(p.refused.ips, "IP")} in the last 7 days would be refused (of ${formatCount(p.total_requests)}).`;
}

/**
 * Before saving: the key's traffic of the last 7 days replayed against the lists being edited (the
 * server runs the middleware's matcher over it). Asks once the lists stop changing.
 */
export function AllowlistImpactPreview({
  keyId,
  origins,
  ips,
}: {
  keyId: string;
  origins: string[];
  ips: string[];
}) {
  const lists = React.useMemo(
    () => ({
      allowed_origins: origins.map((o) => o.trim()).filter(Boolean),
      allowed_ips: ips.map((i) => i.trim()).filter(Boolean),
    }),
    [origins, ips],
  );
  const settled = useDebounced(lists, DEBOUNCE_MS);
  const typing = settled !== lists;
  const query = useQuery({
    ...keyQueries.allowlistPreview(keyId, settled),
    placeholderData: keepPreviousData,
  });
  const invalid = ApiError.is(query.error) && Object.keys(fieldErrors(query.error)).length > 0;
  const data = query.error ? undefined : query.data;
  const busy = typing || query.isFetching;

  return (
    <section
      aria-labelledby="allowlist-impact-heading"
      aria-busy={busy}
      className="flex flex-col gap-3 rounded-lg border bg-muted/30 p-4"
    >
      <div className="flex items-center justify-between gap-2">
        <h3 id="allowlist-impact-heading" className="text-sm font-medium">
          Impact on the last 7 days
        </h3>
        {busy && data ? (
          <span className="flex items-center gap-1.5 text-xs text-muted-foreground">
            <Loader2 className="size-3.5 animate-spin" aria-hidden />
            Updating…
          </span>
        ) : null}
      </div>
      {invalid ? (
        <p role="status" className="text-sm text-muted-foreground">
          Fix the entries marked invalid to see which requests these lists would refuse.
        </p>
      ) : query.error ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !data ? (
        <p role="status" className="flex items-center gap-2 text-sm text-muted-foreground">
          <Loader2 className="size-4 animate-spin" aria-hidden />
          Replaying the last 7 days of traffic…
        </p>
      ) : (
        <PreviewResult preview={data} />
      )}
    </section>
  );
}

function PreviewResult({ preview }: { preview: Preview }) {
  const refused = preview.refused.requests > 0;
  return (
    <div className="flex flex-col gap-3">
      <p
        role="status"
        className={refused ? "text-sm font-medium text-destructive" : "text-sm text-muted-foreground"}
      >
        {previewHeadline(preview)}
      </p>
      {preview.top_ips.length ? (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">
              Client IPs whose requests would be refused, most requests first
            </caption>
            <thead className="text-xs text-muted-foreground">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">
                  IP
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Why
                </th>
                <th scope="col" className="py-1 pr-3 text-right font-medium">
                  Requests
                </th>
                <th scope="col" className="py-1 font-medium">
                  Last seen
                </th>
              </tr>
            </thead>
            <tbody>
              {preview.top_ips.map((row) => (
                <tr key={row.ip ?? "none"} className="border-t">
                  <td className="py-1 pr-3 font-mono">{row.ip ?? "unknown"}</td>
                  <td className="py-1 pr-3">{REASON[row.code]}</td>
                  <td className="py-1 pr-3 text-right tabular-nums">{formatCount(row.requests)}</td>
                  <td className="py-1">
                    <time dateTime={row.last_seen_at} title={formatTimestamp(new Date(row.last_seen_at))}>
                      {timeFromNow(row.last_seen_at)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {preview.top_origins.length ? (
        <div className="flex flex-col gap-1">
          <h4 className="text-xs font-medium text-muted-foreground">
            Origins that would be refused ({formatCount(preview.refused.origins)})
          </h4>
          <ul className="flex flex-col gap-1 text-sm">
            {preview.top_origins.map((row) => (
              <li key={row.origin ?? "none"} className="flex flex-wrap justify-between gap-2">
                <span className="font-mono">{row.origin ?? "no Origin header (server-side calls)"}</span>
                <span className="text-muted-foreground">
                  {plural(row.requests, "request")}, last{" "}
                  <time dateTime={row.last_seen_at} title={formatTimestamp(new Date(row.last_seen_at))}>
                    {timeFromNow(row.last_seen_at)}
                  </time>
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
