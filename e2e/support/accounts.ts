import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect } from "@playwright/test";

export const DEMO = { email: "demo@example.com", password: "demo-password-1" };
export const OTHER = { email: "other@example.com", password: "other-password-1" };
export const SUPPORT = { email: "support@example.com", password: "support-password-1" };

/**
 * The saved session of a seeded account on the console server (e2e/setup/sign-in.setup.ts), per run:
 * Playwright's output folder is the run's own.
 */
export function storageStateOf(account: "demo" | "other" | "support"): string {
  return path.join(
    process.env.E2E_STATE_DIR ?? path.resolve(import.meta.dirname, "../../test-results/.auth"),
    `${account}.json`,
  );
}

export function uniqueEmail(tag: string) {
  return `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}

/** Signs in through the sign-in page, as a person would. */
export async function signInUi(page: Page, account: { email: string; password: string }, path = "/sign-in") {
  await page.goto(path);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** Signs an API request context in (cookie jar) through better-auth's endpoint. */
export async function signInApi(
  request: APIRequestContext,
  baseURL: string,
  account: { email: string; password: string },
) {
  const res = await request.post("/api/auth/sign-in/email", {
    data: account,
    headers: { origin: new URL(baseURL).origin },
  });
  expect(res.status(), await res.text()).toBe(200);
}
