import {
  ArrowRight,
  CheckCircle2,
  CircleAlert,
  KeyRound,
  Lightbulb,
  ReceiptText,
  Sparkles,
} from "lucide-react";
import Link from "next/link";
import { LocalTime } from "@/components/common/local-time";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RequestStory } from "@/lib/api/contract/requests.schema";
import { formatDuration, formatSignedCredits, formatTimestamp, LEDGER_KIND_LABEL } from "@/lib/format";
import { CodeBadge, StatusBadge } from "./status-badge";

export type StoryAudience = "customer" | "staff";

type Fix = { label: string; href: string } | { note: string };

/** The concrete next step for an error, as the customer can take it. */
function fixFor(story: RequestStory): Fix | null {
  const code = story.request.code;
  const key = story.key;
  switch (code) {
    case "origin_not_allowed":
    case "ip_not_allowed":
      return key
        ? { label: `Edit the allowlist of key “${key.name}”`, href: `/keys/${key.id}` }
        : { label: "Open your keys", href: "/keys" };
    case "account_disabled":
      if (story.paused_scope === "key" && key)
        return { label: `Resume key “${key.name}”`, href: `/keys/${key.id}` };
      if (story.paused_scope === "customer")
        return { note: "The account is paused. Contact support to resume it." };
      return { note: "It has been resumed since: the same request would pass now." };
    case "authentication_failed":
      return { label: "Check your API keys", href: "/keys" };
    case "insufficient_balance":
      return { label: "Top up", href: "/billing" };
    case "queue_full":
      return { label: "View unfinished jobs", href: "/jobs?status=queued" };
    case "product_paused":
    case "invalid_product":
      return { label: "See the models you can call", href: "/" };
    case "invalid_state":
      return story.job ? { label: "Open the job", href: `/jobs/${story.job.id}` } : null;
    case "rate_limited":
      return { note: "Slow down and retry after the Retry-After seconds, with the same Idempotency-Key." };
    default:
      return null;
  }
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="min-w-0 text-sm break-words">{children}</dd>
    </div>
  );
}

const none = <span className="text-muted-foreground">—</span>;

function List({ items, empty }: { items: string[]; empty: string }) {
  if (!items.length) return <span className="text-muted-foreground">{empty}</span>;
  return (
    <ul className="flex flex-wrap gap-1">
      {items.map((item) => (
        <li key={item}>
          <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{item}</code>
        </li>
      ))}
    </ul>
  );
}

function Explanation({ story, audience }: { story: RequestStory; audience: StoryAudience }) {
  const explanation = story.explanation;
  if (!explanation) {
    return (
      <div
        role="status"
        className="flex items-start gap-3 rounded-lg border border-success/40 bg-success/10 p-4 text-sm"
      >
        <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-success" aria-hidden />
        <p>
          <strong>Succeeded.</strong> The request was answered with HTTP {story.request.status}.
        </p>
      </div>
    );
  }
  const fix = fixFor(story);
  return (
    <section
      aria-labelledby="what-went-wrong"
      className="flex flex-col gap-3 rounded-lg border border-destructive/40 bg-destructive/5 p-4"
    >
      <div className="flex items-start gap-3">
        <CircleAlert className="mt-0.5 size-5 shrink-0 text-destructive" aria-hidden />
        <div className="flex flex-col gap-1">
          <h2 id="what-went-wrong" className="font-medium">
            {explanation.title}
          </h2>
          {explanation.meaning ? (
            <p className="text-sm text-muted-foreground">{explanation.meaning}</p>
          ) : null}
        </div>
      </div>
      {explanation.action || fix ? (
        <div className="flex flex-col gap-2 rounded-md bg-background/60 p-3 text-sm">
          <p className="flex items-center gap-2 font-medium">
            <Lightbulb className="size-4 text-warning" aria-hidden />
            How to fix it
          </p>
          {explanation.action ? <p>{explanation.action}</p> : null}
          {fix && "note" in fix ? <p>{fix.note}</p> : null}
          {fix && "href" in fix ? (
            audience === "customer" ? (
              <Button asChild size="sm" className="w-fit">
                <Link href={fix.href}>
                  {fix.label}
                  <ArrowRight aria-hidden />
                </Link>
              </Button>
            ) : (
              <p className="text-muted-foreground">Customer&apos;s next step: {fix.label}.</p>
            )
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function KeyCard({ story, audience }: { story: RequestStory; audience: StoryAudience }) {
  const { key, allowlist } = story;
  if (!key) return null;
  const statusVariant = key.status === "active" ? "success" : key.status === "paused" ? "warning" : "outline";
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 className="flex items-center gap-2">
            <KeyRound className="size-4" aria-hidden />
            Key and allowlist
          </h2>
        </CardTitle>
        <CardDescription>
          The key it was sent with (never its secret) and what its lists decided.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Field label="Name">
            {audience === "customer" ? (
              <Link href={`/keys/${key.id}`} className="font-medium underline underline-offset-4">
                {key.name}
              </Link>
            ) : (
              key.name
            )}
          </Field>
          <Field label="Prefix">
            <code className="font-mono text-xs">{key.prefix}…</code>
          </Field>
          <Field label="Status now">
            <Badge variant={statusVariant} className="capitalize">
              {key.status}
            </Badge>
          </Field>
          <Field label="Key ID">
            <code className="font-mono text-xs break-all">{key.id}</code>
          </Field>
        </dl>
        {allowlist ? (
          <div className="flex flex-col gap-3 rounded-md border p-3">
            <p className="text-sm" data-testid="allowlist-decision">
              {allowlist.result === "denied" ? (
                <>
                  <strong className="text-destructive">Denied</strong> by the key&apos;s{" "}
                  {allowlist.code === "ip_not_allowed" ? "allowed IPs" : "allowed origins"}.
                </>
              ) : allowlist.result === "allowed" ? (
                <>
                  <strong className="text-success">Allowed</strong> by the key&apos;s lists.
                </>
              ) : (
                <>Not checked: the request was refused before the lists were looked at.</>
              )}{" "}
              With the lists as they are now, the same request would be{" "}
              <strong>{allowlist.now.allowed ? "allowed" : "denied"}</strong>.
            </p>
            <dl className="grid gap-3 sm:grid-cols-2">
              <Field label="Origin sent">
                {allowlist.observed_origin ? (
                  <code className="font-mono text-xs">{allowlist.observed_origin}</code>
                ) : (
                  <span className="text-muted-foreground">None</span>
                )}
              </Field>
              <Field label="Allowed origins">
                <List items={allowlist.allowed_origins} empty="Any origin" />
              </Field>
              <Field label="IP seen">
                {allowlist.observed_ip ? (
                  <code className="font-mono text-xs">{allowlist.observed_ip}</code>
                ) : (
                  none
                )}
              </Field>
              <Field label="Allowed IPs">
                <List items={allowlist.allowed_ips} empty="Any IP" />
              </Field>
            </dl>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}

function JobCard({ story, audience }: { story: RequestStory; audience: StoryAudience }) {
  const job = story.job;
  if (!job) return null;
  const variant =
    job.status === "succeeded" ? "success" : job.status === "failed" ? "destructive" : "secondary";
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 className="flex items-center gap-2">
            <Sparkles className="size-4" aria-hidden />
            {story.job_relation === "created" ? "The job it created" : "The job it acted on"}
          </h2>
        </CardTitle>
        <CardDescription>As it is now.</CardDescription>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <Field label="Job">
            {audience === "customer" ? (
              <Link
                href={`/jobs/${job.id}`}
                className="font-mono text-xs break-all underline underline-offset-4"
              >
                {job.id}
              </Link>
            ) : (
              <code className="font-mono text-xs break-all">{job.id}</code>
            )}
          </Field>
          <Field label="Product">{job.product}</Field>
          <Field label="Status now">
            <span className="inline-flex flex-wrap gap-1">
              <Badge variant={variant} className="capitalize">
                {job.status}
              </Badge>
              {job.refunded ? <Badge variant="outline">Refunded</Badge> : null}
            </span>
          </Field>
          <Field label="Cost">{job.cost_credits} credits</Field>
          <Field label="Attempts">{job.attempts}</Field>
          <Field label="Created">
            <LocalTime iso={job.created_at} format={formatTimestamp} />
          </Field>
          <Field label="Finished">
            {job.finished_at ? <LocalTime iso={job.finished_at} format={formatTimestamp} /> : none}
          </Field>
          <Field label="Error">{job.error ? job.error.message : none}</Field>
        </dl>
      </CardContent>
    </Card>
  );
}

function LedgerCard({ story }: { story: RequestStory }) {
  if (!story.ledger.length) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 className="flex items-center gap-2">
            <ReceiptText className="size-4" aria-hidden />
            Credits it moved
          </h2>
        </CardTitle>
        <CardDescription>
          Ledger entries this request (or the job it created or changed) caused.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>Entry</TableHead>
              <TableHead className="text-right">Credits</TableHead>
              <TableHead className="text-right">Balance after</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {story.ledger.map((entry) => (
              <TableRow key={entry.id}>
                <TableCell>
                  <LocalTime iso={entry.created_at} format={formatTimestamp} />
                </TableCell>
                <TableCell>{LEDGER_KIND_LABEL[entry.kind]}</TableCell>
                <TableCell className="text-right tabular-nums">
                  {formatSignedCredits(entry.credits)}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {entry.balance_after.toLocaleString("en-US")}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}

/** The whole story of one request: what was asked, what was answered and why, what it caused, the fix. */
export function RequestStoryView({ story, audience }: { story: RequestStory; audience: StoryAudience }) {
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
          <RequestIdCopy requestId={r.request_id} />
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
      <LedgerCard story={story} />
    </div>
  );
}
