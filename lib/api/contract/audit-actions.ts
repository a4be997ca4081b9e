/**
 * The customer audit log's categories and its actions' wording: values only (no zod), so the console's
 * filters and rows import it without the schemas. An action is `<area>.<verb>`; its category is the
 * area's (lib/server/audit/audit.ts writes them).
 */
export const AUDIT_CATEGORIES = {
  keys: { label: "Keys and allowlists", prefixes: ["key."] },
  billing: { label: "Billing", prefixes: ["billing.", "top_up."] },
  webhooks: { label: "Webhooks", prefixes: ["webhook_endpoint."] },
  members: { label: "Members", prefixes: ["member.", "invitation."] },
  support: { label: "Support staff", prefixes: ["support."] },
} as const;
export type AuditCategory = keyof typeof AUDIT_CATEGORIES;
export const AUDIT_CATEGORY_LIST = Object.keys(AUDIT_CATEGORIES) as [AuditCategory, ...AuditCategory[]];

/** What each known action did, in a sentence's words; an action not listed shows as itself. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "key.create": "Created a key",
  "key.update": "Changed a key",
  "key.pause": "Paused a key",
  "key.resume": "Resumed a key",
  "key.roll": "Rolled a key's secret",
  "key.revoke": "Revoked a key",
  "key.expire_old_secret": "Expired a key's old secret",
  "key.shadow.start": "Tried allowlists in shadow",
  "key.shadow.enforce": "Enforced shadow allowlists",
  "key.shadow.discard": "Discarded shadow allowlists",
  "billing.settings.update": "Changed billing settings",
  "top_up.create": "Bought credits",
  "webhook_endpoint.create": "Added a webhook endpoint",
  "webhook_endpoint.update": "Changed a webhook endpoint",
  "webhook_endpoint.delete": "Deleted a webhook endpoint",
  "webhook_endpoint.roll_secret": "Rolled a webhook signing secret",
  "invitation.create": "Invited a member",
  "invitation.revoke": "Revoked an invitation",
  "invitation.accept": "Joined the team",
  "member.role_change": "Changed a member's role",
  "member.remove": "Removed a member",
  "support.customer.pause": "Support paused the account",
  "support.customer.unpause": "Support unpaused the account",
  "support.key.pause": "Support paused a key",
  "support.key.unpause": "Support unpaused a key",
};

export function auditCategoryOf(action: string): AuditCategory | null {
  for (const category of AUDIT_CATEGORY_LIST) {
    if (AUDIT_CATEGORIES[category].prefixes.some((p) => action.startsWith(p))) return category;
  }
  return null;
}

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}
