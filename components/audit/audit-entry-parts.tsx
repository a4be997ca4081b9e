"use client";

import { ArrowRight, Check, Copy } from "lucide-react";
import Link from "next/link";
import { useCopy } from "@/components/common/use-copy";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { auditActionLabel } from "@/lib/api/contract/audit-actions";
import type { CustomerAuditEntry } from "@/lib/api/contract/audit.schema";
import { MEMBER_ROLES, type MemberRole, ROLE_LABELS } from "@/lib/api/contract/roles";
import { formatCount } from "@/lib/format";
import { toast } from "@/lib/toast";

const isRole = (role: string | null): role is MemberRole => MEMBER_ROLES.includes(role as MemberRole);

/** Who: a member (email and role then), an API key (its prefix), or the platform's support staff. */
export function AuditActor({ entry }: { entry: CustomerAuditEntry }) {
  const { actor } = entry;
  if (actor.type === "staff") return <Badge variant="warning">Platform support</Badge>;
  if (actor.type === "api_key") {
    return (
      <span className="flex flex-col gap-0.5">
        <span className="text-sm">API key</span>
        <code className="font-mono text-xs text-muted-foreground">
          {actor.key_prefix ? `${actor.key_prefix}…` : (actor.key_id ?? "—")}
        </code>
      </span>
    );
  }
  return (
    <span className="flex flex-col gap-0.5">
      <span className="text-sm break-all">{actor.email ?? "—"}</span>
      {isRole(actor.role) ? (
        <span className="text-xs text-muted-foreground">{ROLE_LABELS[actor.role]}</span>
      ) : null}
    </span>
  );
}

function targetHref(entry: CustomerAuditEntry): string | null {
  const id = entry.target_id;
  if (!id) return null;
  switch (entry.target_type) {
    case "api_key":
      return `/keys/${encodeURIComponent(id)}`;
    case "top_up":
      return `/billing/top-ups/${encodeURIComponent(id)}`;
    case "webhook_endpoint":
      return entry.action === "webhook_endpoint.delete" ? null : "/webhooks";
    default:
      return null;
  }
}

function targetLabel(entry: CustomerAuditEntry): string {
  const prefix = typeof entry.details.prefix === "string" ? entry.details.prefix : null;
  const url = typeof entry.details.url === "string" ? entry.details.url : null;
  if (entry.target_type === "api_key" && prefix) return `Key ${prefix}…`;
  if (entry.target_type === "webhook_endpoint" && url) return url;
  if (entry.target_type === "customer") return "This account";
  // Members and invitations are named by the person's email.
  if (typeof entry.details.email === "string") return entry.details.email;
  if (entry.target_type === "top_up" && typeof entry.details.credits === "number") {
    return `${formatCount(entry.details.credits)} credits (${String(entry.details.pack ?? "pack")})`;
  }
  return entry.target_id ?? "—";
}

/** What: the action in words, and what it was done to (a link where the console has a page for it). */
export function AuditWhat({ entry }: { entry: CustomerAuditEntry }) {
  const href = targetHref(entry);
  const label = targetLabel(entry);
  return (
    <span className="flex flex-col gap-0.5">
      <span className="text-sm font-medium">{auditActionLabel(entry.action)}</span>
      {href ? (
        <Link
          href={href}
          className="font-mono text-xs break-all text-muted-foreground underline underline-offset-4 hover:text-foreground"
          title={entry.target_id ?? undefined}
        >
          {label}
        </Link>
      ) : (
        <span
          className="font-mono text-xs break-all text-muted-foreground"
          title={entry.target_id ?? undefined}
        >
          {label}
        </span>
      )}
      {entry.reason ? (
        <span className="text-xs">
          <span className="text-muted-foreground">Reason: </span>
          {entry.reason}
        </span>
      ) : null}
    </span>
  );
}

const ACRONYMS: Record<string, string> = { url: "URL", ip: "IP", ips: "IPs", id: "ID" };

/** `allowed_ips` → "Allowed IPs". */
const fieldLabel = (field: string) => {
  const words = field.split("_").map((w) => ACRONYMS[w] ?? w);
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
};

const isEmpty = (value: unknown) =>
  value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);

function Value({ value }: { value: unknown }) {
  if (isEmpty(value)) return <span className="text-muted-foreground italic">none</span>;
  if (typeof value === "boolean") return <span>{value ? "on" : "off"}</span>;
  if (typeof value === "number") return <span className="tabular-nums">{formatCount(value)}</span>;
  const text = Array.isArray(value)
    ? value.map(String).join(", ")
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value);
  return <code className="font-mono break-all">{text}</code>;
}

/** Before → after of each field that changed (a create has no before, a delete no after). */
export function AuditChanges({ entry }: { entry: CustomerAuditEntry }) {
  // "none → none" says nothing (a key created without allowlists: null → []).
  const fields = Object.entries(entry.changes).filter(([, c]) => !(isEmpty(c.from) && isEmpty(c.to)));
  if (!fields.length) return <span className="text-xs text-muted-foreground">—</span>;
  return (
    <dl className="flex flex-col gap-1 text-xs">
      {fields.map(([field, change]) => (
        <div key={field} className="flex flex-col gap-0.5">
          <dt className="text-muted-foreground">{fieldLabel(field)}</dt>
          <dd className="flex flex-wrap items-center gap-1">
            <span className="sr-only">from </span>
            <span className="rounded bg-destructive/10 px-1 py-0.5 dark:bg-destructive/20">
              <Value value={change.from} />
            </span>
            <ArrowRight className="size-3 shrink-0 text-muted-foreground" aria-hidden />
            <span className="sr-only"> to </span>
            <span className="rounded bg-success/10 px-1 py-0.5 dark:bg-success/20">
              <Value value={change.to} />
            </span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The request that made the change: its id (a link to the request's story where this person may open
 * it — a staff request is not in the customer's log) and a copy button.
 */
export function AuditRequest({ entry, canOpen }: { entry: CustomerAuditEntry; canOpen: boolean }) {
  const { copied, copy } = useCopy({
    done: (id) => toast.success("Request ID copied", { description: id }),
    byHand: "Select the ID and copy it by hand.",
  });
  const id = entry.request_id;
  if (!id) return <span className="text-xs text-muted-foreground">—</span>;
  const linked = canOpen && entry.actor.type !== "staff";
  return (
    <span className="flex items-center gap-1">
      {linked ? (
        <Link
          href={`/requests/${encodeURIComponent(id)}`}
          className="font-mono text-xs break-all underline underline-offset-4"
          aria-label={`Request ${id}`}
        >
          {id}
        </Link>
      ) : (
        <code className="font-mono text-xs break-all select-all">{id}</code>
      )}
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="size-7 shrink-0"
        aria-label="Copy request ID"
        onClick={() => void copy(id)}
      >
        {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      </Button>
    </span>
  );
}
