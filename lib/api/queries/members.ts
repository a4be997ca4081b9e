import { queryOptions } from "@tanstack/react-query";
import type { CreateInvitationBody } from "../contract/members.schema";
import type { MemberRole } from "../contract/roles";
import { apiFetch, lazySchema } from "../client";

const schemas = () => import("../contract/members.schema");
const MemberListSchema = lazySchema(schemas, (m) => m.MemberListSchema);
const MemberSchema = lazySchema(schemas, (m) => m.MemberSchema);
const InvitationListSchema = lazySchema(schemas, (m) => m.InvitationListSchema);
const InvitationSchema = lazySchema(schemas, (m) => m.InvitationSchema);
const InvitationWithLinkSchema = lazySchema(schemas, (m) => m.InvitationWithLinkSchema);
const MembershipListSchema = lazySchema(schemas, (m) => m.MembershipListSchema);
const JoinedSchema = lazySchema(schemas, (m) => m.JoinedSchema);

export const memberQueries = {
  all: () => ["members"] as const,
  members: () =>
    queryOptions({
      queryKey: [...memberQueries.all(), "list"] as const,
      queryFn: ({ signal }) => apiFetch("/members?limit=100", MemberListSchema, { signal }),
    }),
  invitations: () =>
    queryOptions({
      queryKey: [...memberQueries.all(), "invitations"] as const,
      queryFn: ({ signal }) => apiFetch("/members/invitations?limit=100", InvitationListSchema, { signal }),
    }),
};

export const memberApi = {
  invite: (vars: CreateInvitationBody) =>
    apiFetch("/members/invitations", InvitationWithLinkSchema, { method: "POST", json: vars }),
  revokeInvitation: (vars: { id: string }) =>
    apiFetch(`/members/invitations/${encodeURIComponent(vars.id)}`, InvitationSchema, {
      method: "DELETE",
      json: {},
    }),
  setRole: (vars: { userId: string; role: MemberRole }) =>
    apiFetch(`/members/${encodeURIComponent(vars.userId)}`, MemberSchema, {
      method: "PATCH",
      json: { role: vars.role },
    }),
  remove: (vars: { userId: string }) =>
    apiFetch(`/members/${encodeURIComponent(vars.userId)}`, MemberSchema, { method: "DELETE", json: {} }),
  accept: (vars: { token: string }) =>
    apiFetch("/invitations/accept", JoinedSchema, { method: "POST", json: vars }),
  switchTeam: (vars: { customerId: string }) =>
    apiFetch("/session/customer", MembershipListSchema, {
      method: "POST",
      json: { customer_id: vars.customerId },
    }),
};
