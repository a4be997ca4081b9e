/**
 * Members' roles and what each may do: the one permission table, read by the API's middleware (every
 * route names the permission it needs, lib/server/api/permissions.ts) and by the console (controls a
 * role cannot use are hidden or disabled with the reason). Values only, no zod: components import it.
 */
export const MEMBER_ROLES = ["owner", "admin", "developer", "billing", "viewer"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const PERMISSIONS = [
  "products.read",
  "keys.read",
  "keys.write",
  "jobs.read",
  "jobs.write",
  "requests.read",
  "webhooks.read",
  "webhooks.write",
  "billing.read",
  "billing.write",
  "members.read",
  "members.write",
  // The account's audit log (who changed what): owners and admins, not every reader.
  "audit.read",
  "ownership",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ = [
  "products.read",
  "keys.read",
  "jobs.read",
  "requests.read",
  "webhooks.read",
  "billing.read",
  "members.read",
] as const satisfies readonly Permission[];

export const ROLE_PERMISSIONS = {
  owner: PERMISSIONS,
  // Everything but the customer's ownership (transfer it, delete the customer).
  admin: PERMISSIONS.filter((p) => p !== "ownership"),
  // Keys, jobs, the playground, webhooks and the request log; reads billing (the balance), changes none of it.
  developer: [...READ, "keys.write", "jobs.write", "webhooks.write"],
  // Balance, top-ups and auto-recharge; no keys at all.
  billing: [...READ.filter((p) => p !== "keys.read"), "billing.write"],
  viewer: READ,
} as const satisfies Record<MemberRole, readonly Permission[]>;

/** Whether a member's role has the permission; staff ("support") have no customer's permissions. */
export function can(role: MemberRole | "support", permission: Permission): boolean {
  return role !== "support" && (ROLE_PERMISSIONS[role] as readonly Permission[]).includes(permission);
}

export const ROLE_LABELS = {
  owner: "Owner",
  admin: "Admin",
  developer: "Developer",
  billing: "Billing",
  viewer: "Viewer",
} as const satisfies Record<MemberRole, string>;
