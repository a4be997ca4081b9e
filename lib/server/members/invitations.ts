import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import {
  type CreateInvitationBody,
  canGrant,
  INVITATION_TTL_DAYS,
  type Invitation,
  type InvitationList,
  type InvitationWithLink,
} from "@/lib/api/contract/members.schema";
import { type MemberRole, ROLE_LABELS } from "@/lib/api/contract/roles";
import { changesOf, recordAudit } from "../audit/audit";
import { getDb, type Tx } from "../db/client";
import { customers, invitations, memberships, sessions, users } from "../db/schema";
import { DomainError } from "../errors";
import { newId } from "../ids";
import { invalidField } from "../keys/validate";
import { iso, type MemberChangeContext } from "./context";
import { generateInvitationToken, hashInvitationToken, invitationUrl } from "./tokens";
import { invitationTransport } from "./transport";
import { idCursor, idFromCursor } from "../cursor";

type InvitationRow = typeof invitations.$inferSelect;

export function invitationStatus(row: InvitationRow, now = new Date()): Invitation["status"] {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt <= now ? "expired" : "pending";
}

function toInvitationDto(row: InvitationRow, invitedBy: string | null): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: invitationStatus(row),
    invited_by: invitedBy,
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
  };
}

/** Pending: neither accepted nor revoked, and not yet expired. */
const pending = () =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`));

/**
 * Invites `email` with `role`; the response carries the token (its link) once. The inviter may grant
 * no role above their own; an earlier pending invitation of the same email is revoked (re-inviting
 * replaces the link). `origin`: the console's origin, for the link.
 */
export async function createInvitation(
  tx: Tx,
  ctx: MemberChangeContext,
  input: CreateInvitationBody,
  origin: string,
): Promise<InvitationWithLink> {
  if (!canGrant(ctx.actor.role, input.role)) {
    throw invalidField(
      "role",
      `As ${ROLE_LABELS[ctx.actor.role]} you can't invite someone as ${ROLE_LABELS[input.role]}: only an owner can.`,
    );
  }
  const [member] = await tx
    .select({ userId: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.customerId, ctx.customerId), sql`lower(${users.email}) = ${input.email}`));
  if (member) throw invalidField("email", `${input.email} is already a member of this team.`);

  const replaced = await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.customerId, ctx.customerId), eq(invitations.email, input.email), pending()))
    .returning({ id: invitations.id });
  const token = generateInvitationToken();
  const [row] = await tx
    .insert(invitations)
    .values({
      id: newId("inv"),
      customerId: ctx.customerId,
      email: input.email,
      role: input.role,
      tokenHash: hashInvitationToken(token),
      invitedBy: ctx.actor.userId,
      expiresAt: sql`now() + make_interval(days => ${INVITATION_TTL_DAYS})`,
    })
    .returning();
  await recordAudit(tx, {
    actor: ctx.actor,
    action: "invitation.create",
    customerId: ctx.customerId,
    targetType: "invitation",
    targetId: row!.id,
    requestId: ctx.requestId,
    details: { email: row!.email, replaced: replaced.map((r) => r.id) },
    changes: changesOf(null, { email: row!.email, role: row!.role, expires_at: iso(row!.expiresAt) }),
  });
  return {
    ...toInvitationDto(row!, ctx.actor.email),
    token,
    url: invitationUrl(origin, token),
    delivery: invitationTransport().kind,
  };
}

/** Hands a new invitation to the configured transport (after its transaction committed). */
export async function deliverInvitation(invitation: InvitationWithLink, customerId: string): Promise<void> {
  const transport = invitationTransport();
  if (transport.kind === "link") return;
  const db = await getDb();
  const [customer] = await db
    .select({ name: customers.name })
    .from(customers)
    .where(eq(customers.id, customerId));
  await transport.send({
    to: invitation.email,
    customerName: customer?.name ?? "",
    role: ROLE_LABELS[invitation.role],
    invitedBy: invitation.invited_by,
    url: invitation.url,
    expiresAt: new Date(invitation.expires_at),
  });
}

/** The customer's pending invitations, newest first, keyset-paginated by id. */
export async function listInvitations(
  customerId: string,
  page: { limit: number; cursor?: string },
): Promise<InvitationList> {
  const db = await getDb();
  const rows = await db
    .select({ invitation: invitations, invitedBy: users.email })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(
      and(
        eq(invitations.customerId, customerId),
        pending(),
        page.cursor ? lt(invitations.id, idFromCursor(page.cursor, /^inv_[0-9A-Z]{26}$/)) : undefined,
      ),
    )
    .orderBy(desc(invitations.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const data = rows.slice(0, page.limit).map((r) => toInvitationDto(r.invitation, r.invitedBy));
  return {
    data,
    next_cursor: more && data.length ? idCursor(data.at(-1)!.id) : null,
  };
}

const notFoundInvitation = (id: string) => new DomainError("not_found", { message: `No invitation ${id}.` });

function notPending(row: InvitationRow): DomainError {
  const status = invitationStatus(row);
  return new DomainError("invalid_state", {
    message: `This invitation is ${status}; only a pending invitation can be ${status === "expired" ? "used" : "changed"}.`,
    details: { status, allowed_from: ["pending"] },
  });
}

/** Revokes a pending invitation: its link stops working at once. */
export async function revokeInvitation(tx: Tx, ctx: MemberChangeContext, id: string): Promise<Invitation> {
  const [row] = await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.id, id), eq(invitations.customerId, ctx.customerId), pending()))
    .returning();
  if (!row) {
    const [existing] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, id), eq(invitations.customerId, ctx.customerId)));
    throw existing ? notPending(existing) : notFoundInvitation(id);
  }
  await recordAudit(tx, {
    actor: ctx.actor,
    action: "invitation.revoke",
    customerId: ctx.customerId,
    targetType: "invitation",
    targetId: row.id,
    requestId: ctx.requestId,
    details: { email: row.email, role: row.role },
    changes: { status: { from: "pending", to: "revoked" } },
  });
  const [inviter] = row.invitedBy
    ? await tx.select({ email: users.email }).from(users).where(eq(users.id, row.invitedBy))
    : [];
  return toInvitationDto(row, inviter?.email ?? null);
}

/** What the accept page shows about a token: the team, the role, for whom, and whether it still works. */
export type InvitationPreview = {
  customerName: string;
  email: string;
  role: MemberRole;
  invitedBy: string | null;
  status: Invitation["status"];
  expiresAt: string;
};

export async function previewInvitation(token: string): Promise<InvitationPreview | null> {
  const db = await getDb();
  const [row] = await db
    .select({ invitation: invitations, customerName: customers.name, invitedBy: users.email })
    .from(invitations)
    .innerJoin(customers, eq(customers.id, invitations.customerId))
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(eq(invitations.tokenHash, hashInvitationToken(token)));
  if (!row) return null;
  return {
    customerName: row.customerName,
    email: row.invitation.email,
    role: row.invitation.role,
    invitedBy: row.invitedBy,
    status: invitationStatus(row.invitation),
    expiresAt: row.invitation.expiresAt.toISOString(),
  };
}

export type Joiner = { userId: string; email: string; sessionId: string; requestId: string | null };

/**
 * Accepts an invitation: one guarded UPDATE uses it (pending, unexpired, for this person's email), so
 * a token works at most once; the person becomes a member with its role and acts for that customer.
 */
export async function acceptInvitation(
  tx: Tx,
  joiner: Joiner,
  token: string,
): Promise<{ customer_id: string; role: MemberRole }> {
  const tokenHash = hashInvitationToken(token);
  const [row] = await tx
    .update(invitations)
    .set({ acceptedAt: sql`now()`, acceptedBy: joiner.userId })
    .where(
      and(
        eq(invitations.tokenHash, tokenHash),
        pending(),
        sql`${invitations.email} = lower(${joiner.email})`,
      ),
    )
    .returning();
  if (!row) {
    const [existing] = await tx.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
    if (!existing) {
      throw new DomainError("not_found", {
        message: "This invitation link is not valid. Ask for a new one.",
      });
    }
    if (invitationStatus(existing) !== "pending") throw notPending(existing);
    throw new DomainError("not_found", {
      message: `This invitation is for ${existing.email}. Sign in as that person to accept it.`,
      details: { reason: "email", email: existing.email },
    });
  }
  const joined = await tx
    .insert(memberships)
    .values({ customerId: row.customerId, userId: joiner.userId, role: row.role })
    .onConflictDoNothing()
    .returning();
  if (!joined.length) {
    throw new DomainError("invalid_state", {
      message: "You are already a member of this team.",
      details: { status: "member", allowed_from: ["not_member"] },
    });
  }
  await tx
    .update(sessions)
    .set({ activeCustomerId: row.customerId })
    .where(eq(sessions.id, joiner.sessionId));
  await tx.update(users).set({ customerId: row.customerId }).where(eq(users.id, joiner.userId));
  await recordAudit(tx, {
    actor: { userId: joiner.userId, email: joiner.email, role: row.role },
    action: "invitation.accept",
    customerId: row.customerId,
    targetType: "member",
    targetId: joiner.userId,
    requestId: joiner.requestId,
    details: { email: joiner.email, invitation_id: row.id },
    changes: { role: { from: null, to: row.role } },
  });
  return { customer_id: row.customerId, role: row.role };
}

/** A member's pending invitations that now outrank them (demoted), or all of them (removed), end. */
export async function revokeInvitationsAbove(tx: Tx, customerId: string, userId: string, rank: number) {
  await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(invitations.customerId, customerId),
        eq(invitations.invitedBy, userId),
        pending(),
        sql`case ${invitations.role} when 'owner' then 3 when 'admin' then 2 else 1 end > ${rank}`,
      ),
    );
}
