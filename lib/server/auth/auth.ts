import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { getDb } from "../db/client";
import { accounts, customers, sessions, users, verifications } from "../db/schema";
import { env } from "../env";
import { newId } from "../ids";
import { CLIENT_IP_HEADER } from "../net/client-ip";
import { logAuth } from "./log";
import { appOrigin } from "./origin";

export const COOKIE_PREFIX = "genmedia";

async function createAuth() {
  const db = await getDb();
  const { BETTER_AUTH_SECRET, NODE_ENV, APP_URL } = env();
  if (!BETTER_AUTH_SECRET && NODE_ENV === "production") {
    throw new Error("BETTER_AUTH_SECRET must be set in production (32+ random characters).");
  }
  return betterAuth({
    secret: BETTER_AUTH_SECRET ?? "development-only-secret-do-not-use-in-production",
    baseURL: APP_URL,
    trustedOrigins: (request) => [APP_URL ?? (request ? appOrigin(request) : undefined)],
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    emailAndPassword: { enabled: true, autoSignIn: true, minPasswordLength: 8, maxPasswordLength: 128 },
    user: {
      additionalFields: {
        role: { type: "string", input: false, defaultValue: "owner" },
        customerId: { type: "string", input: false, required: false },
      },
    },
    // Its built-in limiter keys on the spoofable X-Forwarded-For; failed sign-ins are limited by ours.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: NODE_ENV === "production" && (APP_URL ?? "").startsWith("https:"),
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    databaseHooks: {
      user: {
        create: {
          // Sign-up makes a customer and its owner. Seeded and staff users arrive with their own.
          before: async (user) => {
            if ((user as { customerId?: string | null }).customerId) return { data: user };
            const id = newId("cus");
            const name = user.name?.trim() ? `${user.name.trim()}'s team` : user.email;
            await db.insert(customers).values({ id, name });
            return { data: { ...user, customerId: id, role: "owner" } };
          },
        },
      },
    },
    telemetry: { enabled: false },
    // Unexpected errors reach handleAuthRequest (→ 503 when the database is down, else our 500) instead
    // of being logged here with the failed query's parameters — a session token among them.
    onAPIError: { throw: true },
    logger: { level: "warn", log: logAuth },
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;

// Created lazily and cached per process: a module-level instance would make `next build` open the database.
const KEY = Symbol.for("genmedia.auth");
const g = globalThis as typeof globalThis & { [KEY]?: Promise<Auth> };

export function getAuth(): Promise<Auth> {
  g[KEY] ??= createAuth().catch((error: unknown) => {
    g[KEY] = undefined;
    throw error;
  });
  return g[KEY];
}
