import { KeyRound, ReceiptText, Sparkles } from "lucide-react";
import Link from "next/link";
import { LocalTime } from "@/components/common/local-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RequestStory } from "@/lib/api/contract/requests.schema";
import { formatCount, formatSignedCredits, formatTimestamp, LEDGER_KIND_LABEL } from "@/lib/format";

import { Field, List, none, type StoryAudience } from "./request-story-parts";

// What the request touched: its key (and allowlist), the job it made, the money it moved.

export function KeyCard({ story, audience }: { story: RequestStory; audience: StoryAudience }) {
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

export function JobCard({ story, audience }: { story: RequestStory; audience: StoryAudience }) {
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

export function LedgerCard({ story }: { story: RequestStory }) {
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
                <TableCell className="text-right tabular-nums">{formatCount(entry.balance_after)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
