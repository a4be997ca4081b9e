import type { Page, Request } from "@playwright/test";
import { expect, expectErrors, test } from "../support/test";
import { storageStateOf, uniqueEmail } from "../support/accounts";
import { createJob } from "./jobs-fixtures";

/** A new team (0 credits) signed up through the page, so these flows never race other specs' balances. */
// Multi-page flows (sign-up, pay, re-run, read the ledger): give them room on a busy CI machine.
test.describe.configure({ timeout: 150_000 });

async function signUpUi(page: Page, name: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(uniqueEmail("e2e-billing"));
  await page.getByLabel("Password").fill("a-long-password-1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).not.toHaveURL(/\/sign-up/);
}

/** The playground, hydrated (its product list has loaded), with a prompt typed in; then Generate. */
async function openPlayground(page: Page) {
  await page.goto("/playground");
  await expect(page.getByText(/Costs 10 credits/)).toBeVisible();
  const prompt = page.getByLabel("Prompt");
  await prompt.fill("a lighthouse at dusk");
  await expect(prompt).toHaveValue("a lighthouse at dusk");
  await page.getByRole("button", { name: "Generate" }).click();
}

async function apiBalance(page: Page): Promise<number> {
  const res = await page.request.get("/api/v1/balance");
  return (await res.json()).credits;
}

test("top up in test mode and watch the balance change everywhere", async ({ page }) => {
  await signUpUi(page, "Topper");
  // Under the default warning level (100), every page carries the low-balance banner.
  await expect(page.getByRole("region", { name: "Low balance" })).toContainText("0 credits left");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  await expect(page.getByTestId("billing-balance")).toHaveText(/^0\s*credits$/);
  await expect(page.getByText("No credit movements yet")).toBeVisible();

  const starter = page.getByRole("button", { name: "Buy Starter: 500 credits for $5.00" });
  await expect(starter).toBeVisible();
  await expect(page.getByText("$0.0100 per credit")).toBeVisible();
  await starter.click();

  await expect(page.getByText("Added 500 credits")).toBeVisible(); // the toast
  await expect(page.getByTestId("billing-balance")).toHaveText(/^500\s*credits$/);
  await expect(page.getByLabel("Balance: 500 credits")).toBeVisible(); // the header, same query
  await expect(page.getByRole("region", { name: "Low balance" })).toHaveCount(0);
  const ledger = page.getByRole("table", { name: "Ledger entries" });
  const row = ledger.getByRole("row").nth(1);
  await expect(row).toContainText("Top-up");
  await expect(row).toContainText("+500");
  expect(await apiBalance(page)).toBe(500);

  // The row links to its top-up, which reads succeeded.
  await row.getByRole("link", { name: /^top_/ }).click();
  await expect(page.getByRole("heading", { name: "Added 500 credits" })).toBeVisible();
  await page.getByRole("link", { name: "Back to Billing" }).click();
  await expect(page.getByTestId("billing-balance")).toHaveText(/^500\s*credits$/);
});

test("the low-balance warning level is set on Billing and drives the banner", async ({ page }) => {
  await signUpUi(page, "Threshold");
  await page.goto("/billing");
  await page.getByRole("button", { name: /^Buy Starter/ }).click();
  await expect(page.getByTestId("billing-balance")).toHaveText(/^500\s*credits$/);
  await expect(page.getByRole("region", { name: "Low balance" })).toHaveCount(0);
  await page.getByLabel("Warn under (credits)").fill("600");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("region", { name: "Low balance" })).toContainText(
    "under your warning level of 600",
  );
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Low balance" })).toBeVisible();
});

test("the usage chart is drawn when scrolled near, not while the page loads", async ({ page, baseURL }) => {
  await signUpUi(page, "Charted");
  await page.goto("/billing");
  await page.getByRole("button", { name: /^Buy Starter/ }).click();
  await expect(page.getByTestId("billing-balance")).toHaveText(/^500\s*credits$/);
  await createJob(page.request, baseURL!, { product: "text-to-image", prompt: "a lighthouse" });

  // Every script the page loads, and which are still on their way.
  const pending = new Set<Request>();
  const scripts: Promise<string>[] = [];
  page.on("request", (r) => void (r.resourceType() === "script" && pending.add(r)));
  page.on("requestfailed", (r) => void pending.delete(r));
  page.on("requestfinished", (r) => {
    pending.delete(r);
    if (r.resourceType() === "script")
      scripts.push(
        r
          .response()
          .then((res) => res?.text() ?? "")
          .catch(() => ""),
      );
  });
  await page.goto("/billing");
  // Below the fold: its totals are there; the chart's code (recharts) is not loaded, not even once the
  // page is live (its own render would have asked for it by then) and every script asked for arrived.
  const chart = page.getByRole("img", { name: /^Credits spent per day/ });
  await expect(chart).toHaveAccessibleName(/10 credits in all/);
  await expect(page.getByRole("region", { name: "Usage by model" })).toContainText("10 credits");
  await expect(page.getByLabel("Warn under (credits)")).toBeEnabled();
  await expect.poll(() => pending.size).toBe(0);
  const loaded = await Promise.all(scripts);
  expect(
    loaded.some((js) => js.includes("recharts-surface")),
    "recharts loaded",
  ).toBe(false);
  await expect(chart.locator("svg")).toHaveCount(0);
  await chart.scrollIntoViewIfNeeded();
  await expect(chart.getByRole("application")).toBeVisible(); // recharts' drawing surface
});

test.describe("as the Other account", () => {
  test.use({ storageState: storageStateOf("other") });

  test("Other (0 credits) is refused with insufficient_balance: the prompt shows what the job needs", async ({
    page,
  }) => {
    expectErrors(/^402 POST \/api\/v1\/jobs /);
    const before = await apiBalance(page);
    // Seeded at 0, and no spec tops Other up (each e2e run starts from a fresh database).
    expect(before).toBe(0);
    await openPlayground(page);

    const dialog = page.getByRole("dialog", { name: "Top up credits" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByText("Required").locator("xpath=following-sibling::dd[1]")).toHaveText(
      "10 credits",
    );
    await expect(dialog.getByText("Available").locator("xpath=following-sibling::dd[1]")).toHaveText(
      `${before} credits`,
    );
    await expect(dialog.getByText("Shortfall").locator("xpath=following-sibling::dd[1]")).toHaveText(
      `${10 - before} credits`,
    );
    await expect(dialog.getByRole("radio", { name: /Starter/ })).toBeChecked();
    await expect(dialog.getByTestId("request-id")).toHaveText(/^req_/);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    // Refused means nothing was charged, and Other keeps its balance for the rest of the run.
    expect(await apiBalance(page)).toBe(before);
  });
});

test("the top-up prompt pays, then runs the blocked job again", async ({ page }) => {
  expectErrors(/^402 POST \/api\/v1\/jobs /);
  await signUpUi(page, "Prompted");
  await openPlayground(page);

  const dialog = page.getByRole("dialog", { name: "Top up credits" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText("Shortfall").locator("xpath=following-sibling::dd[1]")).toHaveText(
    "10 credits",
  );
  await dialog.getByRole("button", { name: "Pay $5.00" }).click();
  await expect(dialog.getByRole("status")).toContainText("Your balance is now 500 credits");
  await dialog.getByRole("button", { name: "Generate again" }).click();
  await expect(dialog).toBeHidden();

  // The re-run went through: 500 − 10, and the ledger shows the charge above the top-up.
  await expect(page.getByLabel("Balance: 490 credits")).toBeVisible();
  expect(await apiBalance(page)).toBe(490);
  await page.goto("/billing");
  await expect(page.getByTestId("billing-balance")).toHaveText(/^490\s*credits$/);
  const rows = page.getByRole("table", { name: "Ledger entries" }).getByRole("row");
  await expect(rows.nth(1)).toContainText("Job charge");
  await expect(rows.nth(1)).toContainText("−10");
  await expect(rows.nth(2)).toContainText("Top-up");
  await rows.nth(1).getByRole("link", { name: /^job_/ }).click();
  await expect(page).toHaveURL(/\/jobs\/job_/);
});
