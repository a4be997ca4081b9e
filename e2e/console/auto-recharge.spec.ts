import type { Page } from "@playwright/test";
import { expect, test } from "../support/test";
import { uniqueEmail } from "../support/accounts";

// Sign-up, settings, a dozen API calls and page loads: room on a busy CI machine.
test.describe.configure({ timeout: 150_000 });

/** A new team (0 credits), so this flow never races other specs' balances or settings. */
async function signUp(page: Page) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Recharger");
  await page.getByLabel("Email").fill(uniqueEmail("e2e-recharge"));
  await page.getByLabel("Password").fill("a-long-password-1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).not.toHaveURL(/\/sign-up/);
}

/** A POST or PATCH of the console's own API, with the session cookie and the console's Origin. */
async function call(page: Page, method: "POST" | "PATCH", path: string, data: unknown) {
  const origin = new URL(page.url()).origin;
  const res = await page.request.fetch(`/api/v1${path}`, { method, data, headers: { origin } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return res.json();
}

async function balance(page: Page): Promise<number> {
  return (await (await page.request.get("/api/v1/balance")).json()).credits;
}

test("auto-recharge refills the balance once it drops under the threshold; a failed charge shows the banner and its fix", async ({
  page,
}) => {
  await signUp(page);
  await call(page, "POST", "/top-ups", { pack: "pack_starter" }); // 500 credits
  await page.goto("/billing");
  const status = page.getByRole("group", { name: "Auto-recharge status" });
  await expect(status).toContainText("Off");

  // The form checks what it can before sending anything.
  const form = page.getByRole("form", { name: "Auto-recharge settings" });
  await form.getByRole("switch", { name: "Recharge automatically" }).click();
  await form.getByLabel("When the balance is under (credits)").fill("480");
  const cap = form.getByLabel("Monthly cap (USD)");
  await cap.fill("2");
  await form.getByRole("button", { name: "Save auto-recharge" }).click();
  await expect(cap).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText(/At least the pack's price \(\$5\.00\)/)).toBeVisible();

  await cap.fill("10");
  await form.getByRole("button", { name: "Save auto-recharge" }).click();
  await expect(page.getByText("Auto-recharge saved")).toBeVisible(); // the toast
  await expect(status).toContainText("On");
  await expect(status).toContainText("Under 480 credits, buy Starter");
  await expect(status).toContainText("$0.00 of $10.00");

  // Spend: 500 → 490 → 480 → 470, under 480: one Starter pack (+500) is bought.
  for (let i = 0; i < 3; i++) {
    await call(page, "POST", "/jobs", { product: "text-to-image", prompt: `spend ${i}` });
  }
  await expect.poll(() => balance(page)).toBe(970);
  await page.reload();
  await expect(page.getByTestId("billing-balance")).toHaveText(/^970\s*credits$/);
  const row = page.getByRole("table", { name: "Ledger entries" }).getByRole("row").nth(1);
  await expect(row).toContainText("Top-up");
  await expect(row).toContainText("+500");
  await expect(row).toContainText("Auto-recharge: Starter pack");
  await expect(status).toContainText("$5.00 of $10.00");

  // The test trigger: the next charge fails, auto-recharge turns itself off and says why.
  await call(page, "PATCH", "/billing/settings", {
    auto_recharge: {
      enabled: true,
      threshold_credits: 2_000,
      pack: "pack_starter!fail",
      monthly_cap_cents: 1_000,
    },
  });
  await call(page, "POST", "/jobs", { product: "text-to-image", prompt: "one more" });
  await expect
    .poll(
      async () => (await (await page.request.get("/api/v1/billing/settings")).json()).auto_recharge.enabled,
    )
    .toBe(false);
  await page.reload();
  const banner = page.getByRole("alert", { name: "Auto-recharge off" });
  await expect(banner).toContainText("a charge failed");
  await expect(banner).toContainText("declined");
  await expect(status).toContainText("Off");
  expect(await balance(page)).toBe(960); // nothing credited

  await banner.getByRole("button", { name: "Fix payment method" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Fix payment method" });
  await expect(dialog).toContainText("test mode");
  await dialog.getByRole("button", { name: "Turn auto-recharge on" }).click();
  await expect(page.getByText("Auto-recharge is on again")).toBeVisible();
  await expect(banner).toHaveCount(0);
  await expect(status).toContainText("On");
  const settings = await (await page.request.get("/api/v1/billing/settings")).json();
  expect(settings.auto_recharge).toMatchObject({
    enabled: true,
    pack: "pack_starter",
    disabled_reason: null,
  });
});
