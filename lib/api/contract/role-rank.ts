import type { MemberRole } from "./roles";

/**
 * Who may grant or take away which role: owner > admin > the rest. A member can invite to, change to,
 * or change and remove someone holding, a role no higher than their own (an admin never an owner).
 */
export const ROLE_RANK = {
  owner: 3,
  admin: 2,
  developer: 1,
  billing: 1,
  viewer: 1,
} as const satisfies Record<MemberRole, number>;

export function canGrant(actor: MemberRole | "support", role: MemberRole): boolean {
  return actor !== "support" && ROLE_RANK[role] <= ROLE_RANK[actor];
}
