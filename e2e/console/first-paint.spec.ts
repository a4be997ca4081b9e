import type { Locator, Page } from "@playwright/test";
import { expect, expectErrors, SCRIPTS_BLOCKED, test, watchErrors } from "../support/test";
import { SUPPORT, signInApi, storageStateOf, uniqueEmail } from "../support/accounts";
import { consoleHeaders, createJob, createKey, newAccount, waitForJob } from "./jobs-fixtures";

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

// Its own account: the demo account's jobs, made by other tests running beside this one, finish while
// it looks — and a job's event re-reads the balance (seen in CI: one GET /api/v1/balance 1.3 s in).
test("a direct load of /jobs and /billing shows its data without a browser request to the API", async ({
  page,
  baseURL,
}) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
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

test.describe("signed in as demo", () => {
  test.use({ storageState: storageStateOf("demo") });

  test("the data is in the HTML document itself", async ({ page }) => {
    // Streamed behind the shell in the same response (revealed by React's inline script as it arrives).
    const html = await (await page.request.get("/billing")).text();
    expect(html).toContain("Opening demo credits");
    expect(html).toContain("Starter");
  });
});

/**
 * Loads each page directly and waits until what it shows is on screen, its loading state gone, and the
 * network quiet: the page's data came with its HTML when the browser asked the API for nothing.
 */
async function expectServedWithHtml(page: Page, visits: { path: string; shows: (page: Page) => Locator }[]) {
  for (const { path, shows } of visits) {
    const calls = apiCalls(page);
    await page.goto(path);
    await expect(shows(page).first(), path).toBeVisible();
    await expect(page.getByRole("progressbar"), path).toHaveCount(0);
    await page.waitForLoadState("networkidle");
    expect(calls, path).toEqual([]);
    page.removeAllListeners("request");
  }
}

test("a direct load of every other customer page shows its data without a browser request to the API", async ({
  page,
  baseURL,
  playwright,
}) => {
  // Another account's key: this account's key page must say "not found", from the server.
  const other = await playwright.request.newContext({ baseURL });
  await newAccount(other, baseURL!);
  const foreign = await other.post("/api/v1/keys", {
    data: { name: "Foreign" },
    headers: consoleHeaders(baseURL!),
  });
  expect(foreign.status()).toBe(201);
  const foreignKey = ((await foreign.json()) as { id: string }).id;
  await other.dispose();

  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const key = await createKey(page, baseURL!, { name: "First-paint key" });
  const job = await createJob(page.request, baseURL!, { product: "text-to-image", prompt: "first paint" });
  await waitForJob(page.request, job.id, ["succeeded"]);
  const topUps = await page.request.post("/api/v1/top-ups", {
    data: { pack: "pack_growth" },
    headers: consoleHeaders(baseURL!),
  });
  expect(topUps.status()).toBe(201);
  const topUp = (await topUps.json()) as { id: string };

  await expectServedWithHtml(page, [
    { path: "/keys", shows: (p) => p.getByRole("link", { name: "First-paint key" }) },
    { path: `/keys/${key.id}`, shows: (p) => p.getByRole("heading", { name: "First-paint key", level: 1 }) },
    { path: `/keys/${foreignKey}`, shows: (p) => p.getByRole("heading", { name: "Key not found" }) },
    { path: `/jobs/${job.id}`, shows: (p) => p.getByTestId("job-status").filter({ hasText: "Succeeded" }) },
    {
      path: "/jobs/job_01ZZZZZZZZZZZZZZZZZZZZZZZZ",
      shows: (p) => p.getByRole("heading", { name: "Job not found" }),
    },
    { path: `/billing/top-ups/${topUp.id}`, shows: (p) => p.getByText(/^Added /) },
    {
      path: "/requests",
      shows: (p) => p.getByRole("link", { name: new RegExp(`^Request ${job.request_id}`) }),
    },
    // The URL's filters are the server's too: the same query, so the browser does not ask again.
    {
      path: "/requests?range=1h&source=console",
      shows: (p) => p.getByRole("link", { name: /^Request req_/ }),
    },
    {
      path: `/requests/${job.request_id}`,
      shows: (p) => p.getByRole("heading", { name: "The job it created" }),
    },
    {
      path: "/requests/req_01ZZZZZZZZZZZZZZZZZZZZZZZZ",
      shows: (p) => p.getByText("No request with this ID"),
    },
    { path: "/audit", shows: (p) => p.getByRole("row").filter({ hasText: "Created a key" }) },
    // The URL's filters are the server's too (the category, and UTC days as bounds).
    {
      path: `/audit?category=billing&from=${new Date().toISOString().slice(0, 10)}`,
      shows: (p) => p.getByRole("row").filter({ hasText: "Bought credits" }),
    },
    { path: "/playground", shows: (p) => p.getByRole("combobox", { name: "Product" }) },
  ]);
  // The playground's pickers are filled from the server's answers (the first active product).
  await expect(page.getByRole("combobox", { name: "Product" }).locator("option:checked")).toHaveText(
    /^Demo Text to Image/,
  );
});

test("a direct load of every support page shows its data without a browser request to the API", async ({
  page,
  baseURL,
}) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const job = await createJob(page.request, baseURL!, { product: "text-to-image", prompt: "support paint" });
  await waitForJob(page.request, job.id, ["succeeded"]);
  const customerId = (
    (await (await page.request.get("/api/v1/requests?limit=1")).json()) as { data: { customer_id: string }[] }
  ).data[0]!.customer_id;
  await page.context().clearCookies();
  await signInApi(page.request, baseURL!, SUPPORT);

  await expectServedWithHtml(page, [
    { path: "/support", shows: (p) => p.getByRole("cell", { name: /Demo Text to Image/ }) },
    // A lookup that names one request: its story and its customer under it.
    { path: `/support?q=${job.request_id}`, shows: (p) => p.getByText(customerId) },
    { path: `/support?q=${customerId}`, shows: (p) => p.getByRole("heading", { name: /Recent errors/ }) },
    { path: "/support/audit", shows: (p) => p.getByText("Looked up") },
    { path: `/support/audit?customer=${customerId}`, shows: (p) => p.getByText("Viewed a customer") },
    { path: `/support/customers/${customerId}`, shows: (p) => p.getByText(customerId) },
    {
      path: "/support/customers/cus_01ZZZZZZZZZZZZZZZZZZZZZZZZ",
      shows: (p) => p.getByText("No customer with this ID"),
    },
    {
      path: `/support/requests/${job.request_id}`,
      shows: (p) => p.getByRole("heading", { name: "The job it created" }),
    },
  ]);
});

test("a paused account's first paint has the banner", async ({ browser, playwright, baseURL }) => {
  expectErrors(SCRIPTS_BLOCKED);
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
  const context = watchErrors(
    await browser.newContext({
      javaScriptEnabled: false,
      storageState: await customer.storageState(),
    }),
  );
  await customer.dispose();
  const page = await context.newPage();
  await page.goto("/billing");
  // No script ran: the banner and the refused cards' state were rendered on the server.
  await expect(page.getByRole("alert").filter({ hasText: "Your account is paused." })).toBeVisible();
  await context.close();
});
