import type { Page } from "@playwright/test";
import { storageStateOf } from "../support/accounts";
import { expect, test } from "../support/test";

// Safe allowlist changes: the impact preview names the IP a tightening would break, a shadow list
// flags that IP's traffic without refusing it, and Enforce then refuses it, explained.
test.describe.configure({ timeout: 180_000 });
test.use({ storageState: storageStateOf("demo") });

async function callWithKey(page: Page, secret: string) {
  const res = await page.request.get("/api/v1/products", { headers: { authorization: `Bearer ${secret}` } });
  return { status: res.status(), body: res.status() === 200 ? null : await res.json() };
}

test("tighten an IP list: preview names the IP, shadow flags it, enforce refuses it", async ({ page }) => {
  const name = `E2E shadow ${Date.now()}`;
  await page.goto("/keys");
  await expect(page.getByRole("heading", { name: "API keys", exact: true })).toBeVisible();
  await expect(page.getByLabel("Loading keys")).toHaveCount(0);
  await page.getByRole("button", { name: "Create key" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: "Save your secret key" });
  const secret = await reveal.getByLabel("Secret key").inputValue();
  await reveal.getByRole("checkbox", { name: "I have stored it" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();
  await page.getByRole("link", { name }).click();
  await expect(page).toHaveURL(/\/keys\/key_/);
  const keyId = new URL(page.url()).pathname.split("/").at(-1)!;

  // Some traffic from this machine; the key records the IP the server saw.
  for (let i = 0; i < 3; i++) expect((await callWithKey(page, secret)).status).toBe(200);
  const seen = await (await page.request.get(`/api/v1/keys/${keyId}`)).json();
  const ip: string = seen.last_used_ip;
  expect(ip).toBeTruthy();

  // Tighten the IP list to a range this machine is not in: the preview names this IP before saving.
  await page.getByLabel("New allowed IP").fill("198.51.100.0/24");
  await page.getByRole("button", { name: "Add IP" }).click();
  const impact = page.getByRole("region", { name: "Impact on the last 7 days" });
  await expect(impact.getByRole("status")).toHaveText(
    "3 requests from 1 IP in the last 7 days would be refused (of 3).",
  );
  const row = impact.getByRole("row").filter({ hasText: ip });
  await expect(row).toContainText("IP not listed");
  await expect(row).toContainText("3");

  // Save as shadow: nothing is refused, the request is flagged.
  await page.getByRole("button", { name: "Save as shadow" }).click();
  await expect(page.getByText("Saved as shadow")).toBeVisible();
  const panel = page.getByRole("region", { name: "Shadow allowlists" });
  await expect(panel).toContainText("198.51.100.0/24");
  await expect(page.getByText("Shadow list", { exact: true }).first()).toBeVisible();
  expect((await callWithKey(page, secret)).status).toBe(200);
  await expect(async () => {
    await page.reload();
    await expect(panel.getByRole("status")).toContainText("1 request would have been refused", {
      timeout: 2_000,
    });
  }).toPass();
  await expect(page.getByText("1 would refuse", { exact: true }).first()).toBeVisible();

  // The request log's filter shows it, flagged, from this IP.
  await panel.getByRole("link", { name: "View them in the request log" }).click();
  await expect(page.getByRole("switch", { name: "Shadow allowlist" })).toBeChecked();
  const flagged = page.getByRole("row").filter({ hasText: "Would refuse" });
  await expect(flagged).toHaveCount(1);
  await expect(flagged).toContainText(ip);
  await page.goBack();

  // Enforce: the shadow list becomes the key's, and the same traffic is refused, explained.
  await page
    .getByRole("region", { name: "Shadow allowlists" })
    .getByRole("button", { name: "Enforce" })
    .click();
  await expect(page.getByText("Shadow allowlists enforced")).toBeVisible();
  await expect(page.getByRole("region", { name: "Shadow allowlists" })).toHaveCount(0);
  await expect(page.getByLabel("Allowed IP 1")).toHaveValue("198.51.100.0/24");
  const denied = await callWithKey(page, secret);
  expect(denied.status).toBe(403);
  expect(denied.body.error.code).toBe("ip_not_allowed");
  expect(denied.body.error.details.ip).toBe(ip);

  await page.getByLabel("IP address").fill(ip);
  await page.getByRole("button", { name: "Check" }).click();
  const explainer = page.getByRole("alert").filter({ hasText: "IP address not allowed" });
  await expect(explainer).toContainText(ip);
  await expect(explainer).toContainText("198.51.100.0/24");
});
