import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/server/db/client";
import { customers, users } from "@/lib/server/db/schema";
import { authCall, uniqueEmail } from "../support/api";

/**
 * Sign-up writes a customer and its owner: both or neither. Concurrent sign-ups with one email pass
 * better-auth's "does this email exist?" check together and all but one lose on the unique index — a
 * race only a real Postgres can show (PGlite runs one query at a time). Run with DATABASE_URL.
 */
describe.skipIf(!process.env.DATABASE_URL)("on real Postgres", () => {
  it("concurrent sign-ups with one email leave one user and one customer, no orphan customer", async () => {
    const db = await getDb();
    for (let round = 0; round < 5; round++) {
      const email = uniqueEmail("signup-race");
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          authCall("/sign-up/email", { email, password: "a-long-password-1", name: "" }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      // The losers are refused as a taken email, never a 500.
      for (const s of statuses) expect([200, 422]).toContain(s);
      const owners = await db.select().from(users).where(eq(users.email, email));
      expect(owners).toHaveLength(1);
      // A sign-up without a name names its customer after the email.
      const made = await db.select().from(customers).where(eq(customers.name, email));
      expect(made.map((c) => c.id)).toEqual([owners[0]!.customerId]);
    }
  });
});
