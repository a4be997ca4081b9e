import { canGrant } from "@/lib/api/contract/role-rank";
import { MEMBER_ROLES, type MemberRole, ROLE_LABELS } from "@/lib/api/contract/roles";

export const ROLE_HINTS = {
  owner: "Everything, including the team's ownership",
  admin: "Everything but ownership: members, keys, billing",
  developer: "Keys, jobs, playground, webhooks; reads billing",
  billing: "Balance, top-ups and auto-recharge; no keys",
  viewer: "Reads everything, changes nothing",
} as const satisfies Record<MemberRole, string>;

/** The roles `actor` may grant, as select choices. */
export function grantableRoles(actor: MemberRole) {
  return MEMBER_ROLES.filter((role) => canGrant(actor, role)).map((role) => ({
    value: role,
    label: ROLE_LABELS[role],
  }));
}
