import { eq } from "drizzle-orm";
import type { Role } from "@/lib/api/contract/session.schema";
import { getDb } from "../db/client";
import { customers } from "../db/schema";
import { getAuth } from "./auth";

export type ConsoleSession = {
  sessionId: string;
  user: { id: string; email: string; name: string; role: Role };
  customer: { id: string; name: string; status: "active" | "paused" } | null;
};

/** The signed-in console account for these request headers, or null. */
export async function getConsoleSession(headers: Headers): Promise<ConsoleSession | null> {
  const auth = await getAuth();
  const result = await auth.api.getSession({ headers });
  if (!result) return null;
  const user = result.user as typeof result.user & { role?: string; customerId?: string | null };
  const role = (user.role ?? "owner") as Role;
  let customer: ConsoleSession["customer"] = null;
  if (user.customerId) {
    const db = await getDb();
    const [row] = await db
      .select({ id: customers.id, name: customers.name, status: customers.status })
      .from(customers)
      .where(eq(customers.id, user.customerId));
    customer = row ?? null;
  }
  return {
    sessionId: result.session.id,
    user: { id: user.id, email: user.email, name: user.name, role },
    customer,
  };
}
