import type { Page } from "@playwright/test";
import { storageStateOf } from "../support/accounts";
import { expect, test } from "../support/test";

// The rotation assistant: roll with a grace period, keep using the old secret, see the assistant name
// it (and who sends it) as still in use, expire it now, and see it refused.
test.describe.configure({ timeout: 180_000 });
test.use({ storageState: storageStateOf("demo") });

async function callWithKey(page: Page, secret: string, origin?: string) {
  const res = await page.request.get("/api/v1/products", {
    headers: { authorization: `Bearer ${secret}`, ...(origin ? { origin } : {}) },
  });
  return { status: res.status(), body: res.status() === 200 ? null : await res.json() };
}

test("roll with grace, see the old secret still in use, expire it now, see it refused", async ({ page }) => {
  const name = `E2E rotate ${Date.now()}`;
  await page.goto("/keys");
  await expect(page.getByRole("heading", { name: "API keys", exact: true })).toBeVisible();
  await expect(page.getByLabel("Loading keys")).toHaveCount(0);
  await page.getByRole("button", { name: "Create key" }).first().click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Name").fill(name);
  await create.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: "Save your secret key" });
  const oldSecret = await reveal.getByLabel("Secret key").inputValue();
  await reveal.getByRole("checkbox", { name: "I have stored it" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();
  await page.getByRole("link", { name }).click();
  await expect(page).toHaveURL(/\/keys\/key_/);
  const oldPrefix = oldSecret.slice(0, 12);

  // No grace yet: no assistant.
  await expect(page.getByRole("heading", { name: "Rotation", exact: true })).toHaveCount(0);

  // Roll with a day of grace.
  await page
    .getByRole("combobox", { name: "Old secret stops working" })
    .selectOption({ label: "In 24 hours" });
  await page.getByRole("button", { name: "Roll secret" }).click();
  await page
    .getByRole("alertdialog", { name: `Roll the secret of “${name}”?` })
    .getByRole("button", { name: "Roll secret" })
    .click();
  const rolledDialog = page.getByRole("dialog", { name: "Save the new secret" });
  const newSecret = await rolledDialog.getByLabel("Secret key").inputValue();
  await rolledDialog.getByRole("checkbox", { name: "I have stored it" }).check();
  await rolledDialog.getByRole("button", { name: "Done" }).click();
  const newPrefix = newSecret.slice(0, 12);
  await expect(page.getByRole("heading", { name: "Rotation", exact: true })).toBeVisible();

  // A program still on the old secret, another already on the new one.
  for (let i = 0; i < 3; i++) {
    expect((await callWithKey(page, oldSecret, "https://legacy.example")).status).toBe(200);
  }
  expect((await callWithKey(page, newSecret, "https://updated.example")).status).toBe(200);

  // The assistant names the old secret as still in use, and who sends it.
  const clients = page.getByRole("table", { name: "Still using the old secret" });
  // (The request log is written off the requests' path: wait until it holds the three, then load.)
  const keyId = new URL(page.url()).pathname.split("/").at(-1)!;
  await expect(async () => {
    const traffic = await (await page.request.get(`/api/v1/keys/${keyId}/secret-traffic`)).json();
    expect(traffic.old_secret_clients.map((c: { requests: number }) => c.requests)).toEqual([3]);
  }).toPass();
  await page.reload();
  await expect(clients.getByRole("row").filter({ hasText: "https://legacy.example" })).toContainText("3");
  await expect(page.getByText("Old secret in use", { exact: true }).first()).toBeVisible();
  await expect(clients.getByRole("row").filter({ hasText: "https://legacy.example" })).toContainText(
    `${oldPrefix}…`,
  );
  await expect(clients).not.toContainText("https://updated.example");
  await expect(page.getByRole("status").filter({ hasText: "Old secret still in use" })).toBeVisible();
  await expect(page.getByText(`${oldPrefix}… (old): 3 requests`)).toBeVisible();
  await expect(page.getByText(`${newPrefix}… (new): 1 request`)).toBeVisible();
  await expect(page.getByRole("img", { name: /Requests per .* by secret/ })).toBeVisible();

  // Expire it now, behind a confirmation; the toast says so and the assistant goes away.
  await page.getByRole("button", { name: "Expire old secret now" }).click();
  await page
    .getByRole("alertdialog", { name: `Expire the old secret of “${name}”?` })
    .getByRole("button", { name: "Expire old secret" })
    .click();
  await expect(page.getByText("Old secret expired")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Rotation", exact: true })).toHaveCount(0);
  await expect(page.getByText("Old secret in use", { exact: true })).toHaveCount(0);

  // The old secret is refused right away; the new one works.
  const refused = await callWithKey(page, oldSecret, "https://legacy.example");
  expect(refused.status).toBe(401);
  expect(refused.body.error.code).toBe("authentication_failed");
  expect((await callWithKey(page, newSecret, "https://updated.example")).status).toBe(200);
});
