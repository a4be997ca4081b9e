import { expect, expectErrors, test } from "../support/test";
import { DEMO, signInUi, storageStateOf, uniqueEmail } from "../support/accounts";

test("a signed-out visit to /keys redirects to sign-in, and back after signing in", async ({ page }) => {
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fkeys/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/keys$/);
});

test("the demo account lands on the Overview with its real balance", async ({ page }) => {
  await signInUi(page, DEMO);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const api = await page.request.get("/api/v1/balance");
  const { credits } = await api.json();
  await expect(page.getByTestId("balance")).toHaveText(`${credits.toLocaleString("en-US")} credits`);
  await expect(page.getByRole("cell", { name: "Demo Image Edit" })).toBeVisible();
});

test("a wrong password is explained and keeps you on sign-in", async ({ page }) => {
  expectErrors(/^401 POST \/api\/auth\/sign-in\/email /);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("sign up creates a team with 0 credits; sign out ends the session", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Grace");
  await page.getByLabel("Email").fill(uniqueEmail("e2e"));
  await page.getByLabel("Password").fill("a-long-password-1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByText("Grace's team")).toBeVisible();
  await expect(page.getByTestId("balance")).toHaveText("0 credits");

  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  // The session is over server-side: the API refuses it and the console redirects.
  expect((await page.request.get("/api/v1/balance")).status()).toBe(401);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test.describe("signed in", () => {
  test.use({ storageState: storageStateOf("demo") });

  test("an error state shows the request id, and its copy button puts it on the clipboard", async ({
    page,
  }) => {
    expectErrors(/^400 PATCH \/api\/v1\/billing\/settings /);
    await page.goto("/");
    await page.getByLabel("Warn under (credits)").fill("99999999999");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const input = page.getByLabel("Warn under (credits)");
    await expect(input).toHaveAttribute("aria-invalid", "true");
    const id = (await page.getByTestId("request-id").textContent()) ?? "";
    expect(id).toMatch(/^req_/);
    await page.getByRole("button", { name: "Copy request ID" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(id);
  });
});
