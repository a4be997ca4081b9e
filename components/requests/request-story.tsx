import { LocalTime } from "@/components/common/local-time";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { RequestStory } from "@/lib/api/contract/requests.schema";
import { formatDuration, formatTimestamp } from "@/lib/format";
import { CodeBadge, StatusBadge } from "./status-badge";

import { JobCard, KeyCard, LedgerCard } from "./request-story-cards";
import { Explanation } from "./request-story-explanation";
import { Field, none, type StoryAudience } from "./request-story-parts";

export type { StoryAudience } from "./request-story-parts";

/**
 * The whole story of one request: what was asked, what was answered and why, what it caused, the fix.
 * `afterJob`: more about the job, under its card (staff see its webhook deliveries there).
 */
export function RequestStoryView({
  story,
  audience,
  afterJob,
}: {
  story: RequestStory;
  audience: StoryAudience;
  afterJob?: React.ReactNode;
}) {
  const r = story.request;
  const sender =
    r.source === "key"
      ? `API key ${r.key_prefix ?? ""}…`
      : r.source === "console"
        ? `Console${story.user ? ` (${story.user.email})` : ""}`
        : "Not authenticated";
  return (
    <div className="flex flex-col gap-4" data-testid="request-story">
      <Card>
        <CardHeader>
          <CardTitle>
            <h2 className="flex flex-wrap items-center gap-2 font-mono text-sm break-all">
              <span className="font-semibold">{r.method}</span> {r.path}
            </h2>
          </CardTitle>
          <CardDescription className="flex flex-wrap items-center gap-2">
            <StatusBadge status={r.status} />
            {r.code ? <CodeBadge code={r.code} /> : null}
            <LocalTime iso={r.at} format={formatTimestamp} />
            <span aria-hidden>·</span>
            <span>{formatDuration(r.duration_ms)}</span>
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <RequestIdCopy requestId={r.request_id} code={r.code ?? undefined} />
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Field label="Sent by">{sender}</Field>
            <Field label="IP">{r.ip ? <code className="font-mono text-xs">{r.ip}</code> : none}</Field>
            <Field label="Origin">
              {r.origin ? <code className="font-mono text-xs">{r.origin}</code> : none}
            </Field>
            <Field label="Idempotency-Key">
              {r.idempotency_key ? (
                <code className="font-mono text-xs break-all">{r.idempotency_key}</code>
              ) : (
                none
              )}
            </Field>
          </dl>
        </CardContent>
      </Card>
      <Explanation story={story} audience={audience} />
      <KeyCard story={story} audience={audience} />
      <JobCard story={story} audience={audience} />
      {story.job ? afterJob : null}
      <LedgerCard story={story} />
    </div>
  );
}
