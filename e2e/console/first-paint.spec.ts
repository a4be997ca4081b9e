import { expect, type Page, test } from "@playwright/test";
import { SUPPORT, signInApi, storageStateOf, uniqueEmail } from "../support/accounts";

// A page's first data comes with its HTML: fetched on the server through the API in-process with the
// visitor's session (lib/server/console/prefetch.tsx), so a direct load shows it without one browser
// request to /api/v1, and a paused account's banner is in the first paint.

/** Every data read (fetch/XHR) the page makes from now on to /api/v1 (images, like job outputs, aside). */
function apiCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/v1/") && ["fetch", "xhr"].includes(request.resourceType()))
      calls.push(`${request.method()} ${url.pathname}`);
  });
  return calls;
}

test.describe("signed in as demo", () => {
  test.use({ storageState: storageStateOf("demo") });

  test("a direct load of /jobs and /billing shows its data without a browser request to the API", async ({
    page,
  }) => {
    const calls = apiCalls(page);
    await page.goto("/billing");
    await expect(page.getByRole("heading", { name: "Ledger" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Packs" })).toBeVisible();
    await expect(page.getByText(/^[\d,]+ credits$/).first()).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(calls).toEqual([]);

    await page.goto("/jobs");
    await expect(page.getByRole("heading", { name: "Jobs", level: 1 })).toBeVisible();
    await expect(page.getByRole("combobox", { name: "Product" })).toBeVisible();
    // The list itself (rows, or the empty state) is on screen, not its loading state.
    await expect(page.getByRole("progressbar")).toHaveCount(0);
    await page.waitForLoadState("networkidle");
    expect(calls).toEqual([]);
  });

  test("the data is in the HTML document itself", async ({ page }) => {
    // Streamed behind the shell in the same response (revealed by React's inline script as it arrives).
    const html = await (await page.request.get("/billing")).text();
    expect(html).toContain("Opening demo credits");
    expect(html).toContain("Starter");
  });
});

test("a paused account's first paint has the banner", async ({ browser, playwright, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const email = uniqueEmail("paused");
  const password = "a-long-password-1";
  const customer = await playwright.request.newContext({ baseURL });
  const signedUp = await customer.post("/api/auth/sign-up/email", {
    data: { email, password, name: "Paused E2E" },
    headers: { origin },
  });
  expect(signedUp.status(), await signedUp.text()).toBe(200);

  const staff = await playwright.request.newContext({ baseURL });
  await signInApi(staff, baseURL!, SUPPORT);
  const found = await staff.post("/api/v1/support/lookup", { data: { q: email }, headers: { origin } });
  expect(found.status(), await found.text()).toBe(200);
  const customerId = ((await found.json()) as { data: { customer_id: string }[] }).data[0]!.customer_id;
  const paused = await staff.post(`/api/v1/support/customers/${customerId}/pause`, {
    data: { reason: "First-paint test" },
    headers: { origin },
  });
  expect(paused.status(), await paused.text()).toBe(200);
  await staff.dispose();

  // Pausing ended the session; signing in again works (the console must be able to say why).
  await signInApi(customer, baseURL!, { email, password });
  const context = await browser.newContext({
    javaScriptEnabled: false,
    storageState: await customer.storageState(),
  });
  await customer.dispose();
  const page = await context.newPage();
  await page.goto("/billing");
  // No script ran: the banner and the refused cards' state were rendered on the server.
  await expect(page.getByRole("alert").filter({ hasText: "Your account is paused." })).toBeVisible();
  await context.close();
});
