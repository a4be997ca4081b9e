import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ListQuerySchema } from "@/lib/api/contract/common.schema";
import {
  AcceptInvitationBodySchema,
  CreateInvitationBodySchema,
  InvitationListSchema,
  InvitationSchema,
  InvitationWithLinkSchema,
  JoinedSchema,
  MemberListSchema,
  MemberSchema,
  MembershipListSchema,
  SwitchCustomerBodySchema,
  UpdateMemberBodySchema,
} from "@/lib/api/contract/members.schema";
import { appOrigin } from "../../auth/origin";
import { getDb } from "../../db/client";
import {
  acceptInvitation,
  createInvitation,
  deliverInvitation,
  listInvitations,
  revokeInvitation,
} from "../../members/invitations";
import type { MemberChangeContext } from "../../members/context";
import {
  listMembers,
  listMemberships,
  removeMember,
  changeMemberRole,
  switchCustomer,
} from "../../members/members";
import { DomainError } from "../../errors";
import { AUTH_ERRORS, customerIdOf, requireAuth, sessionAuth } from "../middleware/auth";
import { errorResponses, idempotencyHeaders, jsonContent } from "../openapi-helpers";
import { idempotencyClaim, idempotent } from "../idempotent";
import type { ApiEnv } from "../types";

/** /members, their invitations, and the signed-in person's teams: console session only. */
export const memberRoutes = new OpenAPIHono<ApiEnv>();

const TAGS = ["Members"];
const SESSION = [{ sessionCookie: [] }];
const session = requireAuth("session");
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});
const pathId = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name, in: "path" }, example });
const MemberParams = z.object({ userId: pathId("userId", "usr_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V") });
const InvitationParams = z.object({ invitationId: pathId("invitationId", "inv_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V") });

function changeContext(
  c: Parameters<typeof sessionAuth>[0] & { get(key: "requestId"): string },
): MemberChangeContext {
  const auth = sessionAuth(c);
  // requireAuth let only a member whose role has the route's permission through.
  if (auth.role === "support") throw new DomainError("not_found");
  return {
    customerId: customerIdOf(c),
    actor: { userId: auth.userId, email: auth.email, role: auth.role },
    requestId: c.get("requestId"),
  };
}

memberRoutes.openapi(
  createRoute({
    method: "get",
    path: "/members",
    tags: TAGS,
    summary: "List the team's members and their roles",
    security: SESSION,
    middleware: [session] as const,
    request: { query: ListQuerySchema },
    responses: {
      200: jsonContent(MemberListSchema, "Members, newest account first"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found"),
    },
  }),
  async (c) => c.json(await listMembers(customerIdOf(c), c.req.valid("query")), 200),
);

memberRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/members/{userId}",
    tags: TAGS,
    summary: "Change a member's role",
    description:
      "Owners and admins only, to a role no higher than their own, and never of a member above them (an " +
      "admin can't touch an owner). The last owner can't be demoted: 409 invalid_state with " +
      "details.reason last_owner. Takes effect on the member's next request.",
    security: SESSION,
    middleware: [session] as const,
    request: { params: MemberParams, ...body(UpdateMemberBodySchema) },
    responses: {
      200: jsonContent(MemberSchema, "The member with their new role"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found", "invalid_state"),
    },
  }),
  async (c) => {
    const ctx = changeContext(c);
    const { userId } = c.req.valid("param");
    const { role } = c.req.valid("json");
    const db = await getDb();
    return c.json(await db.transaction((tx) => changeMemberRole(tx, ctx, userId, role)), 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/members/{userId}",
    tags: TAGS,
    summary: "Remove a member, or leave (your own id); their sessions for this team end at once",
    description:
      "Any member may leave, whatever their role. Removing someone else takes an owner or admin whose role is " +
      "at least theirs (otherwise 404 not_found with details.reason role). The last owner can't leave nor be " +
      "removed: 409 invalid_state with details.reason last_owner.",
    security: SESSION,
    middleware: [session] as const,
    request: { params: MemberParams },
    responses: {
      200: jsonContent(MemberSchema, "The removed member"),
      ...errorResponses(...AUTH_ERRORS.session, "not_found", "invalid_state"),
    },
  }),
  async (c) => {
    const ctx = changeContext(c);
    const db = await getDb();
    return c.json(await db.transaction((tx) => removeMember(tx, ctx, c.req.valid("param").userId)), 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: "get",
    path: "/members/invitations",
    tags: TAGS,
    summary: "List the team's pending invitations (never their tokens)",
    security: SESSION,
    middleware: [session] as const,
    request: { query: ListQuerySchema },
    responses: {
      200: jsonContent(InvitationListSchema, "Pending invitations, newest first"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found"),
    },
  }),
  async (c) => c.json(await listInvitations(customerIdOf(c), c.req.valid("query")), 200),
);

memberRoutes.openapi(
  createRoute({
    method: "post",
    path: "/members/invitations",
    tags: TAGS,
    summary: "Invite someone by email with a role; the response is the only one that carries the link",
    description:
      "Owners and admins only, with a role no higher than their own. The link works once, for 7 days, " +
      "for a person signed in with that email; only the token's SHA-256 hash is stored. Inviting an " +
      "email again replaces its pending invitation. With no mail transport configured (the default), " +
      "`delivery` is `link`: share the URL yourself.",
    security: SESSION,
    middleware: [session] as const,
    request: {
      headers: idempotencyHeaders("body replays the first response, link included (stored encrypted)"),
      ...body(CreateInvitationBodySchema),
    },
    responses: {
      201: jsonContent(InvitationWithLinkSchema, "The invitation, with its link (shown once)"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found", "idempotency_conflict"),
    },
  }),
  async (c) => {
    const ctx = changeContext(c);
    const input = c.req.valid("json");
    const origin = appOrigin(c.req.raw);
    const invitation = await idempotent(c, idempotencyClaim(c, input, { sealed: true }), 201, (tx) =>
      createInvitation(tx, ctx, input, origin),
    );
    await deliverInvitation(invitation, ctx.customerId);
    return c.json(invitation, 201);
  },
);

memberRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/members/invitations/{invitationId}",
    tags: TAGS,
    summary: "Revoke a pending invitation: its link stops working at once",
    security: SESSION,
    middleware: [session] as const,
    request: { params: InvitationParams },
    responses: {
      200: jsonContent(InvitationSchema, "The revoked invitation"),
      ...errorResponses(...AUTH_ERRORS.session, "not_found", "invalid_state"),
    },
  }),
  async (c) => {
    const ctx = changeContext(c);
    const db = await getDb();
    const id = c.req.valid("param").invitationId;
    return c.json(await db.transaction((tx) => revokeInvitation(tx, ctx, id)), 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: "post",
    path: "/invitations/accept",
    tags: TAGS,
    summary: "Join the team an invitation names, as the signed-in person; this session then acts for it",
    description:
      "The token works once, until it expires, and only for the email it was sent to (else 404 " +
      "not_found, details.reason email). Used, revoked or expired: 409 invalid_state with its status.",
    security: SESSION,
    middleware: [session] as const,
    request: { ...body(AcceptInvitationBodySchema) },
    responses: {
      200: jsonContent(JoinedSchema, "The team joined, and the role"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found", "invalid_state"),
    },
  }),
  async (c) => {
    const auth = sessionAuth(c);
    if (auth.role === "support") throw new DomainError("not_found");
    const { token } = c.req.valid("json");
    const db = await getDb();
    const joined = await db.transaction((tx) =>
      acceptInvitation(
        tx,
        { userId: auth.userId, email: auth.email, sessionId: auth.sessionId, requestId: c.get("requestId") },
        token,
      ),
    );
    return c.json(joined, 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: "get",
    path: "/session/customers",
    tags: TAGS,
    summary: "The teams the signed-in person belongs to, and which one this session acts for",
    security: SESSION,
    middleware: [session] as const,
    responses: {
      200: jsonContent(MembershipListSchema, "The person's teams"),
      ...errorResponses(...AUTH_ERRORS.session),
    },
  }),
  async (c) => {
    const auth = sessionAuth(c);
    return c.json(await listMemberships(auth.userId, auth.customerId), 200);
  },
);

memberRoutes.openapi(
  createRoute({
    method: "post",
    path: "/session/customer",
    tags: TAGS,
    summary: "Switch this session to another of the person's teams",
    description: "API keys, jobs and billing belong to the team; the audit log names the person.",
    security: SESSION,
    middleware: [session] as const,
    request: { ...body(SwitchCustomerBodySchema) },
    responses: {
      200: jsonContent(MembershipListSchema, "The person's teams, the new one active"),
      ...errorResponses(...AUTH_ERRORS.session, "invalid_request", "not_found"),
    },
  }),
  async (c) => {
    const auth = sessionAuth(c);
    if (auth.role === "support") throw new DomainError("not_found");
    const { customer_id } = c.req.valid("json");
    return c.json(await switchCustomer({ userId: auth.userId, sessionId: auth.sessionId }, customer_id), 200);
  },
);
