import { and, asc, desc, eq, lt, or, sql } from "drizzle-orm";
import {
  canGrant,
  type Member,
  type MemberList,
  type MembershipList,
  ROLE_RANK,
} from "@/lib/api/contract/members.schema";
import { can, type MemberRole, ROLE_LABELS } from "@/lib/api/contract/roles";
import { recordAudit } from "../audit/audit";
import { getDb, type Tx } from "../db/client";
import { customers, memberships, sessions, users } from "../db/schema";
import { DomainError } from "../errors";
import { invalidField } from "../keys/validate";
import { type MemberChangeContext, roleRefusal } from "./context";
import { revokeInvitationsAbove } from "./invitations";
import { idCursor, idFromCursor } from "../cursor";

const memberColumns = {
  userId: users.id,
  email: users.email,
  name: users.name,
  role: memberships.role,
  joinedAt: memberships.createdAt,
};
type MemberRow = { userId: string; email: string; name: string; role: MemberRole; joinedAt: Date };

const toMemberDto = (row: MemberRow): Member => ({
  user_id: row.userId,
  email: row.email,
  name: row.name,
  role: row.role,
  joined_at: row.joinedAt.toISOString(),
});

/** The customer's members, newest account first, keyset-paginated by user id. */
export async function listMembers(
  customerId: string,
  page: { limit: number; cursor?: string },
): Promise<MemberList> {
  const db = await getDb();
  const rows = await db
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.customerId, customerId),
        page.cursor
          ? lt(memberships.userId, idFromCursor(page.cursor, /^usr_[0-9A-Za-z_]{1,40}$/))
          : undefined,
      ),
    )
    .orderBy(desc(memberships.userId))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const data = rows.slice(0, page.limit).map(toMemberDto);
  return {
    data,
    next_cursor: more && data.length ? idCursor(data.at(-1)!.user_id) : null,
  };
}

const notFoundMember = (userId: string) =>
  new DomainError("not_found", { message: `No member ${userId} in this team.` });

const lastOwner = () =>
  new DomainError("invalid_state", {
    message: "A team needs an owner: make someone else owner first.",
    details: { reason: "last_owner" },
  });

/**
 * Locks the customer's owners' rows, in one order, before any change that could leave it without one:
 * two owners demoting each other at once then run one after the other, and the second's guard (in
 * its own statement, under Read Committed a fresh snapshot) sees the first's change.
 */
async function lockOwners(tx: Tx, customerId: string): Promise<void> {
  await tx.execute(
    sql`select 1 from ${memberships} where ${memberships.customerId} = ${customerId} and ${memberships.role} = 'owner' order by ${memberships.userId} for update`,
  );
}

/**
 * The target member (locked) and whether the actor may touch their role at all — by the actor's role
 * as it is now, after the owners' lock (a change that demoted the actor meanwhile counts).
 */
async function targetOf(
  tx: Tx,
  ctx: MemberChangeContext,
  userId: string,
  options: { leaving?: boolean } = {},
): Promise<MemberRow> {
  const [actor] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.customerId, ctx.customerId), eq(memberships.userId, ctx.actor.userId)));
  if (!actor) throw notFoundMember(userId);
  // Leaving is every member's own choice: no role is needed to remove yourself.
  const leaving = options.leaving === true && userId === ctx.actor.userId;
  if (!leaving && !can(actor.role, "members.write")) {
    throw roleRefusal(`Your role in this team (${ROLE_LABELS[actor.role]}) can't change its members.`, {
      role: actor.role,
    });
  }
  ctx = { ...ctx, actor: { ...ctx.actor, role: actor.role } };
  const [row] = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.customerId, ctx.customerId), eq(memberships.userId, userId)))
    .for("update", { of: memberships });
  if (!row) throw notFoundMember(userId);
  if (!leaving && !canGrant(ctx.actor.role, row.role)) {
    throw roleRefusal(
      `As ${ROLE_LABELS[ctx.actor.role]} you can't change a member who is ${ROLE_LABELS[row.role]}.`,
      { role: ctx.actor.role },
    );
  }
  return row;
}

/** No owner may be demoted, nor removed, while they are the last: the guard of the statement itself. */
const anotherOwner = (customerId: string, userId: string) =>
  sql`exists (select 1 from ${memberships} o where o.customer_id = ${customerId} and o.role = 'owner' and o.user_id <> ${userId})`;

/** Changes a member's role (no higher than the actor's own; never the last owner's). */
export async function changeMemberRole(
  tx: Tx,
  ctx: MemberChangeContext,
  userId: string,
  role: MemberRole,
): Promise<Member> {
  if (!canGrant(ctx.actor.role, role)) {
    throw invalidField(
      "role",
      `As ${ROLE_LABELS[ctx.actor.role]} you can't make someone ${ROLE_LABELS[role]}.`,
    );
  }
  await lockOwners(tx, ctx.customerId);
  const target = await targetOf(tx, ctx, userId);
  if (target.role === role) return toMemberDto(target);
  const [updated] = await tx
    .update(memberships)
    .set({ role })
    .where(
      and(
        eq(memberships.customerId, ctx.customerId),
        eq(memberships.userId, userId),
        eq(memberships.role, target.role),
        role === "owner"
          ? undefined
          : or(sql`${memberships.role} <> 'owner'`, anotherOwner(ctx.customerId, userId)),
      ),
    )
    .returning({ role: memberships.role });
  if (!updated) throw lastOwner();
  await revokeInvitationsAbove(tx, ctx.customerId, userId, ROLE_RANK[role]);
  await recordAudit(tx, {
    actor: ctx.actor,
    action: "member.role_change",
    customerId: ctx.customerId,
    targetType: "member",
    targetId: userId,
    requestId: ctx.requestId,
    details: { email: target.email },
    changes: { role: { from: target.role, to: role } },
  });
  return toMemberDto({ ...target, role });
}

/**
 * Removes a member (never the last owner): their sessions acting for this customer end at once, and
 * their pending invitations are revoked. Any member may remove themselves (leave), whatever their role;
 * removing someone else takes members.write and a role at least theirs.
 */
export async function removeMember(tx: Tx, ctx: MemberChangeContext, userId: string): Promise<Member> {
  await lockOwners(tx, ctx.customerId);
  const target = await targetOf(tx, ctx, userId, { leaving: true });
  const [removed] = await tx
    .delete(memberships)
    .where(
      and(
        eq(memberships.customerId, ctx.customerId),
        eq(memberships.userId, userId),
        or(sql`${memberships.role} <> 'owner'`, anotherOwner(ctx.customerId, userId)),
      ),
    )
    .returning({ userId: memberships.userId });
  if (!removed) throw lastOwner();
  // Sessions acting for this customer (explicitly, or by the person's last customer) end now; the next
  // session starts on another of their teams, if any.
  const [person] = await tx.select({ customerId: users.customerId }).from(users).where(eq(users.id, userId));
  await tx
    .delete(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        person?.customerId === ctx.customerId
          ? or(eq(sessions.activeCustomerId, ctx.customerId), sql`${sessions.activeCustomerId} is null`)
          : eq(sessions.activeCustomerId, ctx.customerId),
      ),
    );
  if (person?.customerId === ctx.customerId) {
    const [next] = await tx
      .select({ customerId: memberships.customerId })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .orderBy(asc(memberships.createdAt))
      .limit(1);
    await tx
      .update(users)
      .set({ customerId: next?.customerId ?? null })
      .where(eq(users.id, userId));
  }
  await revokeInvitationsAbove(tx, ctx.customerId, userId, 0);
  await recordAudit(tx, {
    actor: ctx.actor,
    action: "member.remove",
    customerId: ctx.customerId,
    targetType: "member",
    targetId: userId,
    requestId: ctx.requestId,
    details: { email: target.email },
    changes: { role: { from: target.role, to: null } },
  });
  return toMemberDto(target);
}

/** The teams a person belongs to, for the account menu's switcher. */
export async function listMemberships(
  userId: string,
  activeCustomerId: string | null,
): Promise<MembershipList> {
  const db = await getDb();
  const rows = await db
    .select({ customerId: customers.id, name: customers.name, role: memberships.role })
    .from(memberships)
    .innerJoin(customers, eq(customers.id, memberships.customerId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(customers.name), asc(customers.id));
  return {
    data: rows.map((r) => ({
      customer_id: r.customerId,
      customer_name: r.name,
      role: r.role,
      active: r.customerId === activeCustomerId,
    })),
    next_cursor: null,
  };
}

/** Makes this session act for another of the person's customers (and new sessions start there). */
export async function switchCustomer(
  person: { userId: string; sessionId: string },
  customerId: string,
): Promise<MembershipList> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [member] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.customerId, customerId), eq(memberships.userId, person.userId)));
    if (!member) throw new DomainError("not_found", { message: `No team ${customerId} of yours.` });
    await tx.update(sessions).set({ activeCustomerId: customerId }).where(eq(sessions.id, person.sessionId));
    await tx.update(users).set({ customerId }).where(eq(users.id, person.userId));
  });
  return listMemberships(person.userId, customerId);
}
