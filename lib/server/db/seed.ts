import { hashPassword } from "better-auth/crypto";
import { eq } from "drizzle-orm";
import { newId } from "../ids";
import type { Db } from "./client";
import { accounts, customers, ledgerEntries, memberships, products, topUpPacks, users } from "./schema";

/** What API.md's "Local defaults" lists, and nothing more. Idempotent: safe on every start. */
export const DEMO_ACCOUNTS = [
  {
    userId: "usr_demo",
    email: "demo@example.com",
    password: "demo-password-1",
    name: "Demo Owner",
    role: "owner",
    customer: { id: "cus_demo", name: "Demo", credits: 1000 },
  },
  {
    userId: "usr_other",
    email: "other@example.com",
    password: "other-password-1",
    name: "Other Owner",
    role: "owner",
    customer: { id: "cus_other", name: "Other", credits: 0 },
  },
  {
    userId: "usr_support",
    email: "support@example.com",
    password: "support-password-1",
    name: "Support Staff",
    role: "support",
    customer: null,
  },
] as const;

export const DEMO_PRODUCTS = [
  {
    id: "text-to-image",
    name: "Demo Text to Image",
    kind: "image",
    priceCredits: 10,
    needs: null,
    status: "active",
    sortOrder: 1,
  },
  {
    id: "image-edit",
    name: "Demo Image Edit",
    kind: "image",
    priceCredits: 15,
    needs: "source_image_url",
    status: "active",
    sortOrder: 2,
  },
  {
    id: "image-to-video",
    name: "Demo Image to Video",
    kind: "video",
    priceCredits: 50,
    needs: "start_image_url",
    status: "active",
    sortOrder: 3,
  },
  {
    id: "legacy-upscale",
    name: "Legacy Upscaler",
    kind: "image",
    priceCredits: 5,
    needs: null,
    status: "paused",
    sortOrder: 4,
  },
] as const;

export const DEMO_PACKS = [
  { id: "pack_starter", name: "Starter", credits: 500, priceCents: 500, currency: "usd", sortOrder: 1 },
  { id: "pack_growth", name: "Growth", credits: 2_000, priceCents: 1_800, currency: "usd", sortOrder: 2 },
  { id: "pack_scale", name: "Scale", credits: 10_000, priceCents: 8_000, currency: "usd", sortOrder: 3 },
] as const;

export async function seedDemo(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const product of DEMO_PRODUCTS) {
      await tx
        .insert(products)
        .values({
          ...product,
          pausedReason: product.status === "paused" ? "Retired while we move it to new hardware." : null,
        })
        .onConflictDoNothing();
    }
    for (const pack of DEMO_PACKS) await tx.insert(topUpPacks).values(pack).onConflictDoNothing();

    for (const account of DEMO_ACCOUNTS) {
      if (account.customer) {
        const inserted = await tx
          .insert(customers)
          .values({ id: account.customer.id, name: account.customer.name, credits: account.customer.credits })
          .onConflictDoNothing()
          .returning({ id: customers.id });
        // Opening credits go through the ledger, so balance = Σ ledger from the first row.
        if (inserted.length && account.customer.credits > 0) {
          await tx.insert(ledgerEntries).values({
            id: newId("led"), // a sortable id like every row's, so GET /ledger orders it as the oldest
            customerId: account.customer.id,
            kind: "adjustment",
            credits: account.customer.credits,
            balanceAfter: account.customer.credits,
            note: "Opening demo credits",
          });
        }
      }
      const existing = await tx.select({ id: users.id }).from(users).where(eq(users.email, account.email));
      if (existing.length) continue;
      await tx.insert(users).values({
        id: account.userId,
        name: account.name,
        email: account.email,
        emailVerified: true,
        role: account.role,
        customerId: account.customer?.id ?? null,
      });
      if (account.customer) {
        await tx
          .insert(memberships)
          .values({ customerId: account.customer.id, userId: account.userId, role: "owner" });
      }
      await tx.insert(accounts).values({
        id: `acc_${account.userId}`,
        accountId: account.userId,
        providerId: "credential",
        userId: account.userId,
        password: await hashPassword(account.password),
      });
    }
  });
}
