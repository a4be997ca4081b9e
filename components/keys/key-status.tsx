import { Badge, type BadgeProps } from "@/components/ui/badge";
import type { Key } from "@/lib/api/contract/keys.schema";
import { OLD_SECRET_IN_USE_SECONDS } from "@/lib/api/contract/constants";
import { LocalTime } from "@/components/common/local-time";
import { formatCount, formatDate, relativeOrDate } from "@/lib/format";

const SOON_MS = 7 * 24 * 3600 * 1000;

type Status = { label: string; variant: BadgeProps["variant"]; title: string };

/** The badges a key shows: its state, then how it is restricted. */
export function keyStatuses(key: Key, now = Date.now()): Status[] {
  const expiresAt = key.expires_at ? Date.parse(key.expires_at) : null;
  if (key.status === "revoked")
    return [{ label: "Revoked", variant: "destructive", title: "Revoked for good" }];
  if (expiresAt !== null && expiresAt <= now) {
    return [
      { label: "Expired", variant: "destructive", title: `Expired ${formatDate(new Date(expiresAt))}` },
    ];
  }
  const out: Status[] = [
    key.status === "paused"
      ? {
          label: key.paused_by === "support" ? "Paused by support" : "Paused",
          variant: "warning",
          title:
            key.paused_by === "support"
              ? "Support paused this key; only support can resume it"
              : "Requests with this key are refused until it is resumed",
        }
      : { label: "Active", variant: "success", title: "Requests with this key are accepted" },
  ];
  if (expiresAt !== null && expiresAt - now < SOON_MS) {
    out.push({
      label: "Expires soon",
      variant: "warning",
      title: `Expires ${formatDate(new Date(expiresAt))}`,
    });
  }
  if (key.rotation) {
    const last = key.rotation.old_last_used_at ? Date.parse(key.rotation.old_last_used_at) : null;
    const until = formatDate(new Date(key.rotation.old_expires_at));
    out.push(
      last !== null && now - last < OLD_SECRET_IN_USE_SECONDS * 1000
        ? {
            label: "Old secret in use",
            variant: "warning",
            title: `${key.rotation.old_prefix}… was used ${formatDate(new Date(last))}, after the roll; it stops working ${until}`,
          }
        : {
            label: "Old secret idle",
            variant: "outline",
            title: `${key.rotation.old_prefix}… has not been used in the last hour; it stops working ${until}`,
          },
    );
  }
  if (key.shadow) {
    const n = key.shadow.would_refuse;
    out.push(
      key.shadow.active
        ? {
            label: "Shadow list",
            variant: "secondary",
            title: `Trying new allowlists in shadow until ${formatDate(new Date(key.shadow.ends_at))}: nothing is refused yet`,
          }
        : {
            label: "Shadow ended",
            variant: "outline",
            title: "The shadow period is over: enforce or discard the shadow allowlists",
          },
      {
        label: `${formatCount(n)} would refuse`,
        variant: n > 0 ? "warning" : "outline",
        title: `${formatCount(n)} request(s) since ${formatDate(new Date(key.shadow.started_at))} would have been refused by the shadow allowlists`,
      },
    );
  }
  const lists = key.allowed_origins.length + key.allowed_ips.length;
  out.push(
    lists
      ? {
          label: "Restricted",
          variant: "secondary",
          title: `${key.allowed_origins.length} allowed origin(s), ${key.allowed_ips.length} allowed IP range(s)`,
        }
      : { label: "Unrestricted", variant: "outline", title: "Any origin and any IP may use this key" },
  );
  return out;
}

export function KeyStatusBadges({ keyData }: { keyData: Key }) {
  return (
    <span className="flex flex-wrap gap-1">
      {keyStatuses(keyData).map((s) => (
        <Badge key={s.label} variant={s.variant} title={s.title}>
          {s.label}
        </Badge>
      ))}
    </span>
  );
}

/** When and from where a key was last used (the keys table and the key's page). */
export function LastUsed({ keyData }: { keyData: Key }) {
  if (!keyData.last_used_at) return <span className="text-muted-foreground">Never</span>;
  return (
    <span className="flex flex-col gap-0.5">
      <LocalTime iso={keyData.last_used_at} format={relativeOrDate} />
      <span className="max-w-64 truncate font-mono text-xs text-muted-foreground">
        {[keyData.last_used_ip, keyData.last_used_origin ?? "no origin"].filter(Boolean).join(" · ")}
      </span>
    </span>
  );
}
