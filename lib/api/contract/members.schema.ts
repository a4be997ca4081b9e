import { z } from "zod";
import { listOf, timestamp } from "./common.schema";
import { MEMBER_ROLES } from "./roles";

export { canGrant, ROLE_RANK } from "./role-rank";

export const MemberRoleSchema = z.enum(MEMBER_ROLES);

/** How long an invitation's link works. */
export const INVITATION_TTL_DAYS = 7;

export const MemberSchema = z
  .object({
    user_id: z.string(),
    email: z.string(),
    name: z.string(),
    role: MemberRoleSchema,
    joined_at: timestamp,
  })
  .meta({ id: "Member" });
export type Member = z.infer<typeof MemberSchema>;

export const MemberListSchema = listOf(MemberSchema);
export type MemberList = z.infer<typeof MemberListSchema>;

export const UpdateMemberBodySchema = z.object({ role: MemberRoleSchema }).meta({ id: "UpdateMemberBody" });
export type UpdateMemberBody = z.infer<typeof UpdateMemberBodySchema>;

export const InvitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: MemberRoleSchema,
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    invited_by: z
      .string()
      .nullable()
      .meta({ description: "The inviter's email, while they have an account" }),
    created_at: timestamp,
    expires_at: timestamp,
  })
  .meta({ id: "Invitation" });
export type Invitation = z.infer<typeof InvitationSchema>;

/** Create only: the one response that carries the invitation's link (its token is stored hashed). */
export const InvitationWithLinkSchema = InvitationSchema.extend({
  token: z.string().meta({ description: "Single use; only its SHA-256 hash is stored" }),
  url: z.string().meta({ description: "The console's accept page with the token: share it with the person" }),
  delivery: z
    .enum(["link", "email"])
    .meta({ description: "`link`: no mail transport is configured, share the URL yourself" }),
}).meta({ id: "InvitationWithLink" });
export type InvitationWithLink = z.infer<typeof InvitationWithLinkSchema>;

export const InvitationListSchema = listOf(InvitationSchema);
export type InvitationList = z.infer<typeof InvitationListSchema>;

export const CreateInvitationBodySchema = z
  .object({
    email: z.email("Give the person's email address.").max(254).toLowerCase(),
    role: MemberRoleSchema,
  })
  .meta({ id: "CreateInvitationBody" });
export type CreateInvitationBody = z.infer<typeof CreateInvitationBodySchema>;

export const AcceptInvitationBodySchema = z
  .object({ token: z.string().min(1).max(200) })
  .meta({ id: "AcceptInvitationBody" });
export type AcceptInvitationBody = z.infer<typeof AcceptInvitationBodySchema>;

/** One customer the signed-in person belongs to (the account menu's switcher). */
export const MembershipSchema = z
  .object({
    customer_id: z.string(),
    customer_name: z.string(),
    role: MemberRoleSchema,
    active: z.boolean(),
  })
  .meta({ id: "Membership" });
export type Membership = z.infer<typeof MembershipSchema>;

export const MembershipListSchema = z.object({ data: z.array(MembershipSchema), next_cursor: z.null() });
export type MembershipList = z.infer<typeof MembershipListSchema>;

export const SwitchCustomerBodySchema = z
  .object({ customer_id: z.string().min(1).max(100) })
  .meta({ id: "SwitchCustomerBody" });
export type SwitchCustomerBody = z.infer<typeof SwitchCustomerBodySchema>;

/** What accepting an invitation answers: the team joined and the role. */
export const JoinedSchema = z
  .object({ customer_id: z.string(), role: MemberRoleSchema })
  .meta({ id: "Joined" });
export type Joined = z.infer<typeof JoinedSchema>;
