import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { InvitationWithLink, Member, MembershipList } from "@/lib/api/contract/members.schema";
import type { MemberRole } from "@/lib/api/contract/roles";
import { getDb } from "@/lib/server/db/client";
import { auditLog, invitations, memberships, sessions, users } from "@/lib/server/db/schema";
import { api, json, ORIGIN, signUp, uniqueEmail } from "../support/api";
import { type Caller, expectError, newAccount, openDatabase, sessionCaller } from "../support/jobs";

// Teams (#19): invitations (hashed at rest, single use, 7 days, no role above the inviter's), members
// (role changes, removal ends their sessions at once, the last owner stays), and switching teams.
// Runs on the embedded database and, in CI, on real Postgres, where the two-owner race is real.

const PASSWORD = "a-long-password-1";
type Owner = Awaited<ReturnType<typeof newAccount>>;

beforeAll(openDatabase);

function invite(caller: Caller, email: string, role: MemberRole, headers: Record<string, string> = {}) {
  return api("/members/invitations", {
    method: "POST",
    headers: { ...caller.headers, ...headers },
    json: { email, role },
  });
}

function accept(caller: Caller, token: string) {
  return api("/invitations/accept", { method: "POST", headers: caller.headers, json: { token } });
}

async function expectInvitation(res: Response): Promise<InvitationWithLink> {
  expect(res.status, await res.clone().text()).toBe(201);
  return json<InvitationWithLink>(res);
}

/** A new person who joins `owner`'s team with `role` through an invitation; their session acts for it. */
async function join(owner: Owner, role: MemberRole, tag: string = role) {
  const email = uniqueEmail(`member-${tag}`);
  const invitation = await expectInvitation(await invite(owner.session, email, role));
  const caller = sessionCaller(await signUp(email, PASSWORD, `Member ${tag}`));
  const res = await accept(caller, invitation.token);
  expect(res.status, await res.clone().text()).toBe(200);
  const db = await getDb();
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return { caller, email, userId: user!.id };
}

async function auditOf(customerId: string, action: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.customerId, customerId), eq(auditLog.action, action)))
    .orderBy(auditLog.id);
}

function setRole(caller: Caller, userId: string, role: MemberRole) {
  return api(`/members/${userId}`, { method: "PATCH", headers: caller.headers, json: { role } });
}

function remove(caller: Caller, userId: string) {
  return api(`/members/${userId}`, {
    method: "DELETE",
    headers: { ...caller.headers, "content-type": "application/json" },
  });
}

async function ownerIdOf(owner: Owner): Promise<string> {
  const db = await getDb();
  const [row] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.customerId, owner.customerId), eq(memberships.role, "owner")));
  return row!.userId;
}

describe("invitations", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await newAccount("team-owner", 0, false);
  });

  it("stores only the token's SHA-256 hash; the link is shown once, never listed", async () => {
    const email = uniqueEmail("hashed");
    const invitation = await expectInvitation(await invite(owner.session, email, "developer"));
    expect(invitation.token).toMatch(/^gmi_[A-Za-z0-9_-]{43}$/);
    expect(invitation.url).toBe(`${ORIGIN}/join?token=${invitation.token}`);
    expect(invitation).toMatchObject({ email, role: "developer", status: "pending", delivery: "link" });

    const db = await getDb();
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row!.tokenHash).toBe(createHash("sha256").update(invitation.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(invitation.token);
    const { rows } = await db.execute(
      sql`select count(*)::int as n from ${invitations} i where i::text like ${`%${invitation.token.slice(4)}%`}`,
    );
    expect(rows[0]).toEqual({ n: 0 });

    const list = await api("/members/invitations", { headers: owner.session.headers });
    const text = await list.text();
    expect(list.status).toBe(200);
    expect(text).toContain(invitation.id);
    expect(text).not.toContain(invitation.token);
  });

  it("expires 7 days after it is made, and an expired link does not join", async () => {
    const email = uniqueEmail("expiry");
    const invitation = await expectInvitation(await invite(owner.session, email, "viewer"));
    expect(Date.parse(invitation.expires_at) - Date.parse(invitation.created_at)).toBe(7 * 86_400_000);
    const db = await getDb();
    await db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(invitations.id, invitation.id));
    const person = sessionCaller(await signUp(email, PASSWORD));
    const error = await expectError(await accept(person, invitation.token), 409, "invalid_state");
    expect(error.details).toEqual({ status: "expired", allowed_from: ["pending"] });
    const [member] = await db.select().from(memberships).where(eq(memberships.customerId, owner.customerId));
    expect(member!.role).toBe("owner");
    expect(
      (await db.select().from(memberships).where(eq(memberships.customerId, owner.customerId))).length,
    ).toBe(1);
  });

  it("joins once: the person becomes a member with the role and acts for the team; a second use is refused", async () => {
    const key = await api("/keys", {
      method: "POST",
      headers: owner.session.headers,
      json: { name: "team key" },
    });
    expect(key.status).toBe(201);
    const email = uniqueEmail("joiner");
    const invitation = await expectInvitation(await invite(owner.session, email, "developer"));
    const person = sessionCaller(await signUp(email.toUpperCase(), PASSWORD, "Joiner"));
    const joined = await accept(person, invitation.token);
    expect(joined.status, await joined.clone().text()).toBe(200);
    expect(await json(joined)).toEqual({ customer_id: owner.customerId, role: "developer" });

    // The session now acts for the team: its keys, as a developer (no billing changes).
    const keys = await json<{ data: { name: string }[] }>(await api("/keys", { headers: person.headers }));
    expect(keys.data.map((k) => k.name)).toEqual(["team key"]);
    const topUp = await api("/top-ups", {
      method: "POST",
      headers: person.headers,
      json: { pack: "pack_starter" },
    });
    expect((await expectError(topUp, 404, "not_found")).details).toMatchObject({ reason: "role" });

    const again = await expectError(await accept(person, invitation.token), 409, "invalid_state");
    expect(again.details).toEqual({ status: "accepted", allowed_from: ["pending"] });
    const other = sessionCaller(await signUp(uniqueEmail("other"), PASSWORD));
    await expectError(await accept(other, invitation.token), 409, "invalid_state");

    const [accepted] = await auditOf(owner.customerId, "invitation.accept");
    expect(accepted).toMatchObject({ actorEmail: email, actorRole: "developer", targetType: "member" });
    expect(accepted!.details).toMatchObject({
      changes: { role: { from: null, to: "developer" } },
      invitation_id: invitation.id,
    });
    const invited = (await auditOf(owner.customerId, "invitation.create")).find(
      (r) => r.targetId === invitation.id,
    );
    expect(invited!.details).toMatchObject({ email, changes: { role: { from: null, to: "developer" } } });
  });

  it("an unknown token is not_found; another person's invitation is not_found naming its email", async () => {
    const person = sessionCaller(await signUp(uniqueEmail("stranger"), PASSWORD));
    await expectError(await accept(person, "gmi_not-a-real-token"), 404, "not_found");
    const email = uniqueEmail("meant-for");
    const invitation = await expectInvitation(await invite(owner.session, email, "viewer"));
    const error = await expectError(await accept(person, invitation.token), 404, "not_found");
    expect(error.details).toEqual({ reason: "email", email });
    // Not used up by the wrong person: the right one still joins.
    const right = sessionCaller(await signUp(email, PASSWORD));
    expect((await accept(right, invitation.token)).status).toBe(200);
  });

  it("grants no role above the inviter's: an admin can't invite an owner; a developer can't invite", async () => {
    const admin = await join(owner, "admin");
    const ownerInvite = await expectError(
      await invite(admin.caller, uniqueEmail("x"), "owner"),
      400,
      "invalid_request",
    );
    expect(ownerInvite.details).toMatchObject({ fields: [{ path: "role" }] });
    expect((await invite(admin.caller, uniqueEmail("y"), "admin")).status).toBe(201);
    const developer = await join(owner, "developer", "dev-inviter");
    const refused = await expectError(
      await invite(developer.caller, uniqueEmail("z"), "viewer"),
      404,
      "not_found",
    );
    expect(refused.details).toMatchObject({ reason: "role" });
    expect((await invite(owner.session, uniqueEmail("o"), "owner")).status).toBe(201);
  });

  it("revokes a pending invitation: the link stops working, and revoking twice is invalid_state", async () => {
    const email = uniqueEmail("revoked");
    const invitation = await expectInvitation(await invite(owner.session, email, "billing"));
    const del = (caller: Caller) =>
      api(`/members/invitations/${invitation.id}`, {
        method: "DELETE",
        headers: { ...caller.headers, "content-type": "application/json" },
      });
    const other = await newAccount("team-other", 0, false);
    await expectError(await del(other.session), 404, "not_found");
    const revoked = await del(owner.session);
    expect(revoked.status, await revoked.clone().text()).toBe(200);
    expect(await json(revoked)).toMatchObject({ id: invitation.id, status: "revoked" });
    expect((await expectError(await del(owner.session), 409, "invalid_state")).details).toEqual({
      status: "revoked",
      allowed_from: ["pending"],
    });
    const person = sessionCaller(await signUp(email, PASSWORD));
    await expectError(await accept(person, invitation.token), 409, "invalid_state");
    const [audit] = (await auditOf(owner.customerId, "invitation.revoke")).filter(
      (r) => r.targetId === invitation.id,
    );
    expect(audit!.details).toMatchObject({ changes: { status: { from: "pending", to: "revoked" } } });
  });

  it("replays the same invitation and link for a retried Idempotency-Key", async () => {
    const email = uniqueEmail("idem");
    const headers = { "idempotency-key": `invite-${email}` };
    const first = await expectInvitation(await invite(owner.session, email, "viewer", headers));
    const again = await invite(owner.session, email, "viewer", headers);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await json(again)).toEqual(first);
  });
});

describe("members", () => {
  it("lists members; a role change counts on the member's next request", async () => {
    const owner = await newAccount("roles-change", 0, false);
    const dev = await join(owner, "developer");
    const list = await json<{ data: Member[] }>(await api("/members", { headers: dev.caller.headers }));
    expect(list.data.map((m) => m.role).sort()).toEqual(["developer", "owner"]);

    expect(
      (await api("/keys", { method: "POST", headers: dev.caller.headers, json: { name: "k" } })).status,
    ).toBe(201);
    const changed = await setRole(owner.session, dev.userId, "viewer");
    expect(changed.status, await changed.clone().text()).toBe(200);
    const refused = await api("/keys", { method: "POST", headers: dev.caller.headers, json: { name: "k2" } });
    expect((await expectError(refused, 404, "not_found")).details).toMatchObject({
      reason: "role",
      role: "viewer",
    });
    const [audit] = await auditOf(owner.customerId, "member.role_change");
    expect(audit).toMatchObject({ targetId: dev.userId, actorRole: "owner" });
    expect(audit!.details).toMatchObject({ changes: { role: { from: "developer", to: "viewer" } } });
  });

  it("an admin can't change or remove an owner, nor make one", async () => {
    const owner = await newAccount("admin-limits", 0, false);
    const admin = await join(owner, "admin");
    const dev = await join(owner, "developer");
    const ownerId = await ownerIdOf(owner);
    expect(
      (await expectError(await setRole(admin.caller, ownerId, "viewer"), 404, "not_found")).details,
    ).toMatchObject({ reason: "role" });
    expect((await expectError(await remove(admin.caller, ownerId), 404, "not_found")).details).toMatchObject({
      reason: "role",
    });
    await expectError(await setRole(admin.caller, dev.userId, "owner"), 400, "invalid_request");
    expect((await setRole(admin.caller, dev.userId, "billing")).status).toBe(200);
  });

  it("a removed member loses access at once: their session for the team ends", async () => {
    const owner = await newAccount("removal", 0, false);
    const dev = await join(owner, "developer");
    expect((await api("/keys", { headers: dev.caller.headers })).status).toBe(200);
    const removed = await remove(owner.session, dev.userId);
    expect(removed.status, await removed.clone().text()).toBe(200);
    await expectError(await api("/keys", { headers: dev.caller.headers }), 401, "authentication_failed");
    const db = await getDb();
    expect(await db.select().from(sessions).where(eq(sessions.userId, dev.userId))).toEqual([]);
    expect(
      await db
        .select()
        .from(memberships)
        .where(and(eq(memberships.customerId, owner.customerId), eq(memberships.userId, dev.userId))),
    ).toEqual([]);
    const [audit] = await auditOf(owner.customerId, "member.remove");
    expect(audit!.details).toMatchObject({
      email: dev.email,
      changes: { role: { from: "developer", to: null } },
    });
    // Signing in again puts them in their own team, never back in this one.
    await expectError(await remove(owner.session, dev.userId), 404, "not_found");
  });

  it("any member may leave, whatever their role; removing someone else takes members.write", async () => {
    const owner = await newAccount("leaving", 0, false);
    const viewer = await join(owner, "viewer");
    const dev = await join(owner, "developer");
    // A developer can't remove another member (the route lets them in only to leave)…
    expect(
      (await expectError(await remove(dev.caller, viewer.userId), 404, "not_found")).details,
    ).toMatchObject({
      reason: "role",
    });
    // …but a viewer, who can change nothing else here, can leave.
    const left = await remove(viewer.caller, viewer.userId);
    expect(left.status, await left.clone().text()).toBe(200);
    const db = await getDb();
    expect(
      await db
        .select()
        .from(memberships)
        .where(and(eq(memberships.customerId, owner.customerId), eq(memberships.userId, viewer.userId))),
    ).toEqual([]);
    const [audit] = await auditOf(owner.customerId, "member.remove");
    expect(audit).toMatchObject({ targetId: viewer.userId, actorRole: "viewer" });
    await expectError(await api("/keys", { headers: viewer.caller.headers }), 401, "authentication_failed");
  });

  it("the last owner can't be demoted nor leave", async () => {
    const owner = await newAccount("last-owner", 0, false);
    const ownerId = await ownerIdOf(owner);
    const demote = await expectError(await setRole(owner.session, ownerId, "admin"), 409, "invalid_state");
    expect(demote.details).toEqual({ reason: "last_owner" });
    await expectError(await remove(owner.session, ownerId), 409, "invalid_state");
    const second = await join(owner, "owner", "second-owner");
    // With a second owner, the first may step down.
    expect((await setRole(owner.session, ownerId, "admin")).status).toBe(200);
    await expectError(await setRole(second.caller, second.userId, "viewer"), 409, "invalid_state");
  });

  it("two owners demoting or removing each other at once: one wins, the team keeps an owner", async () => {
    for (let round = 0; round < 4; round++) {
      const owner = await newAccount(`owner-race-${round}`, 0, false);
      const ownerId = await ownerIdOf(owner);
      const second = await join(owner, "owner", `race-${round}`);
      const [a, b] = await Promise.all(
        round % 2 === 0
          ? [setRole(owner.session, second.userId, "developer"), setRole(second.caller, ownerId, "developer")]
          : [remove(owner.session, second.userId), remove(second.caller, ownerId)],
      );
      const statuses = [a.status, b.status].sort();
      // The loser is refused as the last owner, or (removed first) has no session or team any more.
      expect(statuses[0], `round ${round}: ${await a.text()} ${await b.text()}`).toBe(200);
      expect([401, 404, 409]).toContain(statuses[1]);
      const db = await getDb();
      const owners = await db
        .select()
        .from(memberships)
        .where(and(eq(memberships.customerId, owner.customerId), eq(memberships.role, "owner")));
      expect(owners.length, `round ${round}`).toBe(1);
    }
  });
});

describe("a person in several teams", () => {
  it("switches the session's team from the account menu; keys belong to the team", async () => {
    const owner = await newAccount("switch", 0, false);
    const dev = await join(owner, "developer", "switcher");
    const teams = await json<MembershipList>(
      await api("/session/customers", { headers: dev.caller.headers }),
    );
    expect(teams.data).toHaveLength(2);
    expect(teams.data.find((t) => t.active)).toMatchObject({
      customer_id: owner.customerId,
      role: "developer",
    });
    const own = teams.data.find((t) => !t.active)!;
    expect(own.role).toBe("owner");

    const made = await api("/keys", {
      method: "POST",
      headers: dev.caller.headers,
      json: { name: "team's" },
    });
    expect(made.status).toBe(201);
    const switched = await api("/session/customer", {
      method: "POST",
      headers: dev.caller.headers,
      json: { customer_id: own.customer_id },
    });
    expect(switched.status, await switched.clone().text()).toBe(200);
    const keys = await json<{ data: unknown[] }>(await api("/keys", { headers: dev.caller.headers }));
    expect(keys.data).toEqual([]);
    // As the owner of their own team they may top up there.
    expect(
      (
        await api("/billing/settings", {
          method: "PATCH",
          headers: dev.caller.headers,
          json: { low_balance_credits: 5 },
        })
      ).status,
    ).toBe(200);

    const stranger = await newAccount("not-mine", 0, false);
    await expectError(
      await api("/session/customer", {
        method: "POST",
        headers: dev.caller.headers,
        json: { customer_id: stranger.customerId },
      }),
      404,
      "not_found",
    );
  });
});
