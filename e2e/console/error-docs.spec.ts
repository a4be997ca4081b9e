import type { Page } from "@playwright/test";
import { expectErrors, test } from "../support/test";
import { storageStateOf } from "../support/accounts";
import { axe } from "../support/axe";
import { expect, generate, openPlayground, pasteKey } from "./jobs-fixtures";

test.describe.configure({ mode: "parallel" });

/** The code's page: its heading, its status and an example envelope of exactly that code. */
async function expectCodePage(page: Page, code: string, status: string) {
  await expect(page).toHaveURL(`/docs/errors/${code}`);
  await expect(page.getByRole("heading", { level: 1, name: code })).toBeVisible();
  await expect(page.getByTestId("error-status")).toHaveText(status);
  const envelope = JSON.parse(
    (await page.getByRole("region", { name: "Example answer" }).locator("pre").textContent()) ?? "",
  );
  expect(envelope.error.code).toBe(code);
  expect(envelope.error.request_id).toMatch(/^req_/);
  await expect(page.getByLabel(`SDK handling of ${code}`)).toContainText(`err.code === "${code}"`);
}

test.describe("as the Other account (0 credits)", () => {
  test.use({ storageState: storageStateOf("other") });

  test("insufficient_balance in the playground links its docs page", async ({ page }) => {
    expectErrors(/^402 POST \/api\/v1\/jobs /);
    await openPlayground(page, "Demo Text to Image");
    await page.getByLabel("Prompt").fill("a cat in a hat");
    expect((await generate(page)).status()).toBe(402);
    const dialog = page.getByRole("dialog", { name: "Top up credits" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Not enough credits" });
    await alert.getByRole("link", { name: "Docs: insufficient_balance" }).click();
    await expectCodePage(page, "insufficient_balance", "402");
  });
});

test.describe("as the demo account", () => {
  test.use({ storageState: storageStateOf("demo") });

  test("a key that is not there links not_found's page", async ({ page }) => {
    await page.goto("/keys/key_01ZZZZZZZZZZZZZZZZZZZZZZZZ");
    await expect(page.getByRole("heading", { level: 1, name: "Key not found" })).toBeVisible();
    await page.getByRole("link", { name: "Docs: not_found" }).click();
    await expectCodePage(page, "not_found", "404");
  });

  test("a pasted key the API refuses: its field's error links authentication_failed's page", async ({
    page,
  }) => {
    expectErrors(/^401 POST \/api\/v1\/jobs /);
    await openPlayground(page, "Demo Text to Image");
    await page.getByLabel("Prompt").fill("a cat in a hat");
    await pasteKey(page, `sk_live_${"A".repeat(38)}`);
    expect((await generate(page)).status()).toBe(401);
    await expect(page.getByText("This key was not accepted")).toBeVisible();
    await page.getByRole("link", { name: "Docs: authentication_failed" }).click();
    await expectCodePage(page, "authentication_failed", "401");
  });
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("the catalog lists every code and opens each page, with no axe violations", async ({ page }) => {
    const response = await page.goto("/docs/errors");
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL("/docs/errors");
    await expect(page.getByRole("heading", { level: 1, name: "Error codes" })).toBeVisible();
    const rows = page.getByRole("table").getByRole("row");
    // The header row, the 20 codes of the catalog and internal_error.
    await expect(rows).toHaveCount(22);
    await expect(rows.filter({ hasText: "rate_limited" })).toContainText("429");
    expect((await axe(page).analyze()).violations).toEqual([]);

    await page.getByRole("link", { name: "service_unavailable" }).click();
    await expectCodePage(page, "service_unavailable", "502 / 503");
    expect((await axe(page).analyze()).violations).toEqual([]);
    await page.getByRole("link", { name: "All error codes" }).click();
    await expect(page).toHaveURL("/docs/errors");
  });

  test("an unknown code is the not-found page", async ({ page }) => {
    expectErrors(/^404 GET \/docs\/errors\/teapot \(document\)/);
    const response = await page.goto("/docs/errors/teapot");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  });

  test("the console itself still asks to sign in", async ({ page }) => {
    await page.goto("/keys");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fkeys/);
  });
});
