import { AsyncLocalStorage } from "node:async_hooks";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { type Db, getDb, type Tx } from "../db/client";
import { accounts, customers, memberships, sessions, users, verifications } from "../db/schema";
import { env, secureCookies, serverSecret } from "../env";
import { newId } from "../ids";
import { CLIENT_IP_HEADER } from "../net/client-ip";
import { logAuth } from "./log";
import { appOrigin } from "./origin";

export const COOKIE_PREFIX = "genmedia";

// better-auth runs a sign-up (its user and account rows, and our hook) in one transaction when the
// adapter has `transaction: true`, but hands hooks no handle on it. The adapter gets a database whose
// transactions publish their `tx` here, so the hook writes the customer in the same transaction: a
// sign-up that fails (two with one email, racing) leaves no customer behind.
const authTx = new AsyncLocalStorage<Tx>();

function publishingTransactions(db: Db): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "transaction") return Reflect.get(target, prop, receiver) as unknown;
      const transaction: Db["transaction"] = (work, config) =>
        target.transaction((tx) => authTx.run(tx, () => work(tx)), config);
      return transaction;
    },
  });
}

async function createAuth() {
  const db = await getDb();
  const { BETTER_AUTH_SECRET, NODE_ENV, APP_URL } = env();
  if (!BETTER_AUTH_SECRET && NODE_ENV === "production") {
    throw new Error("BETTER_AUTH_SECRET must be set in production (32+ random characters).");
  }
  return betterAuth({
    secret: serverSecret(),
    baseURL: APP_URL,
    trustedOrigins: (request) => [APP_URL ?? (request ? appOrigin(request) : undefined)],
    database: drizzleAdapter(publishingTransactions(db), {
      provider: "pg",
      transaction: true,
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    emailAndPassword: { enabled: true, autoSignIn: true, minPasswordLength: 8, maxPasswordLength: 128 },
    user: {
      additionalFields: {
        role: { type: "string", input: false, defaultValue: "owner" },
        customerId: { type: "string", input: false, required: false },
      },
    },
    // The customer this session acts for: written by POST /session/customer and on joining a team.
    session: {
      additionalFields: { activeCustomerId: { type: "string", input: false, required: false } },
    },
    // Its built-in limiter keys on the spoofable X-Forwarded-For; failed sign-ins are limited by ours.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: secureCookies({ NODE_ENV, APP_URL }),
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    databaseHooks: {
      user: {
        create: {
          // Sign-up makes a customer and its owner's membership. Seeded and staff users arrive with
          // their own. The user's id is drawn here so the membership can name it: its reference to
          // the user row, written next in this transaction, is checked at commit (deferred).
          before: async (user) => {
            if ((user as { customerId?: string | null }).customerId) return { data: user };
            const tx = authTx.getStore() ?? db;
            const userId = newId("usr");
            const customerId = newId("cus");
            const name = user.name?.trim() ? `${user.name.trim()}'s team` : user.email;
            await tx.insert(customers).values({ id: customerId, name });
            await tx.insert(memberships).values({ customerId, userId, role: "owner" });
            return { data: { ...user, id: userId, customerId, role: "owner" } };
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
