import { and, asc, eq, sql } from "drizzle-orm";
import type { Role } from "@/lib/api/contract/session.schema";
import { getDb } from "../db/client";
import { customers, memberships } from "../db/schema";
import { getAuth } from "./auth";

export type ConsoleSession = {
  sessionId: string;
  /** `role`: "support" for staff; else the person's role in `customer` (their membership's). */
  user: { id: string; email: string; name: string; role: Role };
  /** The customer the person acts for in this session, while they are still its member. */
  customer: { id: string; name: string; status: "active" | "paused" } | null;
};

/**
 * The signed-in console account for these request headers, or null. The role is read from the
 * membership on every request, so a changed role or a removed member counts at once. The customer is
 * the session's active one (switched in the account menu): when the person is no longer its member,
 * none. A session that never switched acts for the person's last customer, else their first.
 */
export async function getConsoleSession(headers: Headers): Promise<ConsoleSession | null> {
  const auth = await getAuth();
  const result = await auth.api.getSession({ headers });
  if (!result) return null;
  const user = result.user as typeof result.user & { role?: string; customerId?: string | null };
  const active = (result.session as typeof result.session & { activeCustomerId?: string | null })
    .activeCustomerId;
  const session = (customer: ConsoleSession["customer"], role: Role): ConsoleSession => ({
    sessionId: result.session.id,
    user: { id: user.id, email: user.email, name: user.name, role },
    customer,
  });
  if (user.role === "support") return session(null, "support");
  const db = await getDb();
  const preferred = active ?? user.customerId ?? null;
  const [row] = await db
    .select({
      id: customers.id,
      name: customers.name,
      status: customers.status,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(customers, eq(customers.id, memberships.customerId))
    .where(and(eq(memberships.userId, user.id), active ? eq(memberships.customerId, active) : undefined))
    .orderBy(sql`${memberships.customerId} = ${preferred ?? ""} desc`, asc(memberships.createdAt))
    .limit(1);
  if (!row) return session(null, "viewer");
  const { role, ...customer } = row;
  return session(customer, role);
}
