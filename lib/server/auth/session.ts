import { and, eq } from "drizzle-orm";
import type { Role } from "@/lib/api/contract/session.schema";
import { getDb } from "../db/client";
import { customers, memberships } from "../db/schema";
import { getAuth } from "./auth";

export type ConsoleSession = {
  sessionId: string;
  /** `role`: "support" for staff; else the person's role in `customer` (their membership's). */
  user: { id: string; email: string; name: string; role: Role };
  /** The customer the person acts for: the one they last switched to, if they are still its member. */
  customer: { id: string; name: string; status: "active" | "paused" } | null;
};

/** The signed-in console account for these request headers, or null. */
export async function getConsoleSession(headers: Headers): Promise<ConsoleSession | null> {
  const auth = await getAuth();
  const result = await auth.api.getSession({ headers });
  if (!result) return null;
  const user = result.user as typeof result.user & { role?: string; customerId?: string | null };
  const session = (customer: ConsoleSession["customer"], role: Role): ConsoleSession => ({
    sessionId: result.session.id,
    user: { id: user.id, email: user.email, name: user.name, role },
    customer,
  });
  if (user.role === "support") return session(null, "support");
  if (!user.customerId) return session(null, "viewer");
  const db = await getDb();
  const [row] = await db
    .select({
      id: customers.id,
      name: customers.name,
      status: customers.status,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(customers, eq(customers.id, memberships.customerId))
    .where(and(eq(memberships.customerId, user.customerId), eq(memberships.userId, user.id)));
  if (!row) return session(null, "viewer");
  const { role, ...customer } = row;
  return session(customer, role);
}
