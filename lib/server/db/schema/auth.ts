import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { MEMBER_ROLES } from "@/lib/api/contract/roles";
import { customers } from "./customers";

/**
 * better-auth's core tables (user, session, account, verification) plus our platform role and the
 * customer the person is acting for. `role` is "support" for staff; for customers' people what they may
 * do is their membership's role (below), and `customer_id` is the customer they last switched to.
 */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    role: text("role", { enum: ["owner", "member", "support"] })
      .notNull()
      .default("owner"),
    customerId: text("customer_id").references(() => customers.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("users_customer_idx").on(t.customerId)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    token: text("token").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // The customer this session acts for (the account menu switches it); null: the user's last one.
    activeCustomerId: text("active_customer_id").references(() => customers.id, { onDelete: "set null" }),
  },
  (t) => [
    index("sessions_user_idx").on(t.userId),
    index("sessions_active_customer_idx").on(t.activeCustomerId),
  ],
);

export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("accounts_user_idx").on(t.userId)],
);

export const verifications = pgTable("verifications", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Who belongs to which customer, with which role (lib/api/contract/roles.ts). A person may belong to
 * several customers. The user reference is DEFERRABLE INITIALLY DEFERRED (migration 0012): sign-up
 * writes the owner's membership in better-auth's transaction before its user row.
 */
export const memberships = pgTable(
  "memberships",
  {
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: MEMBER_ROLES }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.userId] }),
    index("memberships_user_idx").on(t.userId),
    check("memberships_role_check", sql.raw(`"role" IN (${MEMBER_ROLES.map((r) => `'${r}'`).join(", ")})`)),
  ],
);

/**
 * An invitation to join a customer with a role. The token is shown once (as a link) and only its SHA-256
 * hash is kept; accepting it is one guarded UPDATE (pending, unexpired), so it is used at most once.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: MEMBER_ROLES }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: text("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    index("invitations_customer_idx").on(t.customerId, t.id),
    check("invitations_role_check", sql.raw(`"role" IN (${MEMBER_ROLES.map((r) => `'${r}'`).join(", ")})`)),
  ],
);
