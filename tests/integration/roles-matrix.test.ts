import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  can,
  MEMBER_ROLES,
  type MemberRole,
  type Permission,
  ROLE_PERMISSIONS,
} from "@/lib/api/contract/roles";
import { ROUTE_PERMISSIONS } from "@/lib/server/api/permissions";
import { getDb } from "@/lib/server/db/client";
import { memberships, users } from "@/lib/server/db/schema";
import { appRoutes } from "../support/routes";
import { api, ORIGIN, signIn, signUp, uniqueEmail } from "../support/api";
import { type Envelope, newAccount, openDatabase } from "../support/jobs";
import { installChangeCounter, stateChanges, uninstallChangeCounter } from "../support/state";

// The role × route matrix, generated: every route the API app serves × every member role, called with
// a console session of a member of that role. What the table (lib/api/contract/roles.ts over
// lib/server/api/permissions.ts) refuses is 404 not_found with details.reason "role" and changes
// nothing; what it allows is never that answer (it goes on to validation, a missing id, or success).

const PASSWORD = "a-long-password-1";
const members = {} as Record<MemberRole, Record<string, string>>;

beforeAll(openDatabase);
beforeAll(async () => {
  const owner = await newAccount("roles-owner", 100, false);
  members.owner = owner.session.headers;
  const db = await getDb();
  for (const role of MEMBER_ROLES.filter((r) => r !== "owner")) {
    const email = uniqueEmail(`roles-${role}`);
    await signUp(email, PASSWORD);
    // Joins the owner's customer with this role and acts for it (their own sign-up customer stays).
    const [user] = await db
      .update(users)
      .set({ customerId: owner.customerId })
      .where(eq(users.email, email))
      .returning({ id: users.id });
    await db.insert(memberships).values({ customerId: owner.customerId, userId: user!.id, role });
    members[role] = { cookie: await signIn(email, PASSWORD), origin: ORIGIN };
  }
  await installChangeCounter();
}, 120_000);
afterAll(async () => {
  await uninstallChangeCounter();
});

describe("roles × routes", () => {
  it("every route the app serves has a row in ROUTE_PERMISSIONS, and every row is a route", () => {
    expect(Object.keys(ROUTE_PERMISSIONS).sort()).toEqual(appRoutes());
  });

  it("each role's permissions are what the issue's table says", () => {
    // owner ⊃ admin (all but ownership); developer: no billing changes; billing: no keys; viewer: reads.
    expect(ROLE_PERMISSIONS.admin).not.toContain("ownership");
    expect(can("developer", "keys.write") && can("developer", "jobs.write")).toBe(true);
    expect(can("developer", "billing.write")).toBe(false);
    expect(can("billing", "billing.write") && !can("billing", "keys.read")).toBe(true);
    expect(MEMBER_ROLES.filter((r) => can(r, "members.write"))).toEqual(["owner", "admin"]);
    expect(ROLE_PERMISSIONS.viewer.every((p) => p.endsWith(".read"))).toBe(true);
  });

  // The matrix calls each route on someone else's resource: removing a member other than yourself takes
  // members.write (any member may leave: the route's own row is members.read; members.test covers it).
  const ON_SOMEONE_ELSE: Record<string, Permission> = { "DELETE /members/{userId}": "members.write" };
  const rows = Object.entries(ROUTE_PERMISSIONS)
    .filter(([, permission]) => permission !== null)
    .map(([route, permission]) => [route, ON_SOMEONE_ELSE[route] ?? permission] as const);
  it.each(rows)("%s (%s)", async (route, permission) => {
    const [method, template] = route.split(" ") as [string, string];
    const path = template.replace(/\{[A-Za-z_]+\}/g, "x_unknown");
    for (const role of MEMBER_ROLES) {
      const headers = new Headers(members[role]);
      let body: BodyInit | undefined;
      if (method !== "GET") {
        if (route === "POST /uploads") {
          body = new FormData();
        } else {
          headers.set("content-type", "application/json");
          body = "{}";
        }
      }
      const before = await stateChanges();
      const res = await api(path, { method, headers, body });
      // An allowed stream (GET /events/stream) never ends: only a JSON answer is read.
      const isJson = res.headers.get("content-type")?.startsWith("application/json") ?? false;
      const text = isJson ? await res.text() : "";
      if (!isJson) await res.body?.cancel();
      const refusedByRole =
        res.status === 404 && (JSON.parse(text) as Envelope).error.details?.reason === "role";
      expect(refusedByRole, `${role} → ${route}: ${res.status} ${text.slice(0, 200)}`).toBe(
        !can(role, permission!),
      );
      if (refusedByRole) expect(await stateChanges(), `${role} → ${route} changed state`).toBe(before);
    }
  });
});
