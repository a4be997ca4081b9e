import { expect, test } from "../support/test";
import { createKey, newAccount } from "./jobs-fixtures";

// The account's audit log: a change made in the console is there with who made it, its before → after
// and its request id (copyable, linked to the request's story); its filters live in the URL and survive
// a reload.

test.describe.configure({ timeout: 180_000 });

test("a change appears in the audit log with who, before → after and the request; the filter survives a reload", async ({
  page,
  baseURL,
}) => {
  const account = await newAccount(page.request, baseURL!);
  const key = await createKey(page, baseURL!, { name: "Audited key" });

  // Edit a setting in the console itself: the low-balance threshold on the Overview.
  await page.goto("/");
  await page.getByLabel("Warn under (credits)").fill("75");
  const saved = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/billing/settings") && r.request().method() === "PATCH",
  );
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const settingsRequestId = (await saved).headers()["x-request-id"]!;
  expect(settingsRequestId).toMatch(/^req_/);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const rows = page.getByRole("row");
  await expect(rows).toHaveCount(3); // the header, the setting, the key

  const setting = rows.filter({ hasText: "Changed billing settings" });
  await expect(setting).toContainText(account.email);
  await expect(setting).toContainText("Owner");
  await expect(setting).toContainText("Low balance credits");
  await expect(setting).toContainText("75");
  await expect(setting.getByRole("link", { name: `Request ${settingsRequestId}` })).toBeVisible();

  const created = rows.filter({ hasText: "Created a key" });
  await expect(created).toContainText("Audited key");
  await expect(created.getByRole("link", { name: /^Key sk_live_/ })).toHaveAttribute(
    "href",
    `/keys/${key.id}`,
  );

  // The request id copies.
  await setting.getByRole("button", { name: "Copy request ID" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(settingsRequestId);

  // A filter goes into the URL, narrows the list, and survives a reload (served with the HTML).
  await page.getByRole("combobox", { name: "Category" }).selectOption({ label: "Keys and allowlists" });
  await expect(page).toHaveURL(/[?&]category=keys(&|$)/);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText("Created a key");
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Category" }).locator("option:checked")).toHaveText(
    "Keys and allowlists",
  );
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText("Created a key");

  // A filter that matches nothing says so, and clearing it brings every change back.
  await page.getByLabel("Who (email)").fill("nobody@example.com");
  await page.getByLabel("Who (email)").press("Enter");
  await expect(page).toHaveURL(/actor=nobody(%40|@)example\.com/);
  await expect(page.getByRole("status").filter({ hasText: "No changes match these filters" })).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(rows).toHaveCount(3);

  // The request id's link opens the request's story.
  await rows
    .filter({ hasText: "Changed billing settings" })
    .getByRole("link", { name: `Request ${settingsRequestId}` })
    .click();
  await expect(page).toHaveURL(new RegExp(`/requests/${settingsRequestId}$`));
  await expect(page.getByText("PATCH").first()).toBeVisible();
});
