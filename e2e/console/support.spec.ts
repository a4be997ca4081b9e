import type { Browser, Page } from "@playwright/test";
import { expect, expectErrors, test, watchErrors } from "../support/test";
import { storageStateOf, uniqueEmail } from "../support/accounts";
import { startReceiver } from "../support/webhook-receiver";

// Support: a customer's failed request id, copied from the error state, pasted in Look up → the customer,
// the code and the story. Pausing that customer → its console shows the paused banner and its API calls
// get account_disabled. Every action is in the audit log with its reason.

// Several sign-ins and page loads per test: give them room on a loaded machine.
test.describe.configure({ timeout: 180_000 });

const PASSWORD = "a-long-password-1";

async function signUp(page: Page, name: string): Promise<string> {
  const email = uniqueEmail("e2e-support");
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  return email;
}

async function staffPage(browser: Browser): Promise<Page> {
  const context = watchErrors(
    await browser.newContext({
      baseURL: test.info().project.use.baseURL,
      storageState: storageStateOf("support"),
    }),
  );
  const page = await context.newPage();
  await page.goto("/");
  return page;
}

test("a customer's failed request, copied from its error state, is found by staff in one paste", async ({
  page,
  browser,
}) => {
  expectErrors(/^400 PATCH \/api\/v1\/billing\/settings /);
  const team = `Lookup ${Date.now()}`;
  await signUp(page, team);
  await page.getByLabel("Warn under (credits)").fill("99999999999");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByLabel("Warn under (credits)")).toHaveAttribute("aria-invalid", "true");
  await page.getByRole("button", { name: "Copy request ID" }).click();
  const id = await page.evaluate(() => navigator.clipboard.readText());
  expect(id).toMatch(/^req_[0-9A-Z]{26}$/);

  const staff = await staffPage(browser);
  await staff.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Support" }).click();
  await staff.getByLabel("Look up").fill(id);
  await staff.getByRole("button", { name: "Find" }).click();
  await expect(staff).toHaveURL(new RegExp(`q=${id}`));
  // The customer…
  const results = staff.getByRole("region", { name: "Look up results" });
  await expect(results.getByText(`Customer ${team}'s team`)).toBeVisible();
  await expect(results.getByRole("heading", { name: `${team}'s team` })).toBeVisible();
  // …the code and the story.
  const story = results.getByTestId("request-story");
  await expect(story.getByText("invalid_request").first()).toBeVisible();
  await expect(story.getByText("/api/v1/billing/settings")).toBeVisible();
  await expect(story.getByRole("heading", { name: "Check the highlighted fields" })).toBeVisible();
  await expect(story.getByTestId("request-id")).toHaveText(id);

  // The lookup itself is in the audit log.
  await staff.getByRole("link", { name: "Audit log" }).click();
  await expect(
    staff.getByRole("row").filter({ hasText: "Looked up" }).filter({ hasText: id }).first(),
  ).toBeVisible();
  await staff.context().close();
});

test("staff open the story of a job's request and see its webhook delivery; the customer panel, the endpoint", async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const receiver = await startReceiver();
  try {
    const team = `Hooks ${Date.now()}`;
    await signUp(page, team);
    const origin = { origin: new URL(baseURL!).origin };
    const key = await page.request.post("/api/v1/keys", { data: { name: "Server" }, headers: origin });
    expect(key.status()).toBe(201);
    const endpoint = await page.request.post("/api/v1/webhook-endpoints", {
      data: { url: receiver.url, events: ["job.succeeded"] },
      headers: origin,
    });
    expect(endpoint.status()).toBe(201);
    // A new account has no credits: a starter pack (test mode credits it at once).
    expect(
      (
        await page.request.post("/api/v1/top-ups", { data: { pack: "pack_starter" }, headers: origin })
      ).status(),
    ).toBe(201);

    // A program makes a job; the worker finishes it and the deliverer posts job.succeeded to the receiver.
    const program = await playwright.request.newContext({ baseURL });
    const created = await program.post("/api/v1/jobs", {
      headers: { authorization: `Bearer ${((await key.json()) as { secret: string }).secret}` },
      data: { product: "text-to-image", prompt: "a lighthouse, for support" },
    });
    expect(created.status()).toBe(201);
    const requestId = created.headers()["x-request-id"]!;
    const job = (await created.json()) as { id: string };
    await program.dispose();
    await expect
      .poll(() => receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type), {
        timeout: 60_000,
      })
      .toEqual(["job.succeeded"]);

    const staff = await staffPage(browser);
    await staff.goto("/support");
    await staff.getByLabel("Look up").fill(requestId);
    await staff.getByRole("button", { name: "Find" }).click();
    const results = staff.getByRole("region", { name: "Look up results" });
    const story = results.getByTestId("request-story");
    await expect(story.getByRole("heading", { name: "The job it created" })).toBeVisible();
    await expect(story.getByText(job.id)).toBeVisible();
    // The job's delivery: event, endpoint, Delivered, one attempt, the receiver's answer.
    const row = story
      .getByRole("table", { name: "Webhook deliveries of this job, newest first" })
      .getByRole("row")
      .filter({ hasText: "job.succeeded" });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(receiver.url);
    await expect(row.getByText("Delivered")).toBeVisible();
    await expect(row).toContainText("HTTP 200");

    // The customer panel beside it: the endpoint is healthy, and the delivery links back to this story.
    const panel = results.getByTestId("customer-panel");
    const endpoints = panel.getByRole("list", { name: "Webhook endpoints" });
    await expect(endpoints.getByRole("listitem").filter({ hasText: receiver.url })).toContainText("Healthy");
    const latest = panel
      .getByRole("table", { name: "The customer's latest webhook deliveries, newest first" })
      .getByRole("row")
      .filter({ hasText: "job.succeeded" });
    await expect(latest.getByRole("link", { name: job.id })).toHaveAttribute(
      "href",
      `/support/requests/${requestId}`,
    );
    await staff.context().close();
  } finally {
    await receiver.stop();
  }
});

test("staff pause a customer with a reason: its console shows the banner, its API calls get account_disabled", async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  // Once paused, every call of its console is account_disabled.
  expectErrors(/^403 GET \/api\/v1\//);
  const team = `Pause ${Date.now()}`;
  const email = await signUp(page, team);
  const created = await page.request.post("/api/v1/keys", {
    data: { name: "Server" },
    headers: { origin: new URL(baseURL!).origin },
  });
  expect(created.status()).toBe(201);
  const key = (await created.json()) as { secret: string };

  const staff = await staffPage(browser);
  await staff.goto("/support");
  await staff.getByLabel("Look up").fill(email);
  await staff.getByRole("button", { name: "Find" }).click();
  await staff.getByRole("link", { name: "Open customer" }).click();
  await expect(staff.getByRole("heading", { level: 1, name: `${team}'s team` })).toBeVisible();

  await staff.getByRole("button", { name: "Pause account" }).click();
  const dialog = staff.getByRole("dialog", { name: `Pause account ${team}'s team?` });
  await expect(dialog).toBeVisible();
  // The reason is required.
  await dialog.getByRole("button", { name: "Pause account" }).click();
  await expect(dialog.getByLabel("Reason")).toHaveAttribute("aria-invalid", "true");
  await dialog.getByLabel("Reason").fill("Card testing from this account");
  await dialog.getByRole("button", { name: "Pause account" }).click();
  await expect(dialog).toBeHidden();
  await expect(staff.getByText(`${team}'s team paused`)).toBeVisible();
  const notice = staff.getByTestId("customer-paused");
  await expect(notice).toContainText("support@example.com");
  await expect(notice).toContainText("Card testing from this account");

  // Its API calls — by key and by console session — are refused with account_disabled (scope customer).
  const program = await playwright.request.newContext({ baseURL });
  const byKey = await program.get("/api/v1/balance", { headers: { authorization: `Bearer ${key.secret}` } });
  expect(byKey.status()).toBe(403);
  expect((await byKey.json()).error).toMatchObject({
    code: "account_disabled",
    details: { scope: "customer" },
  });
  await program.dispose();

  // Its console session ended: the next page load asks to sign in; after that, the paused banner.
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Your account is paused" }).first()).toBeVisible();
  const bySession = await page.request.get("/api/v1/balance");
  expect(bySession.status()).toBe(403);
  expect((await bySession.json()).error).toMatchObject({
    code: "account_disabled",
    details: { scope: "customer" },
  });

  // The action and its reason are in the audit log; unpausing restores the key.
  await staff.getByRole("link", { name: "Audit trail" }).click();
  await expect(
    staff.getByRole("row").filter({ hasText: "Paused the customer" }).filter({ hasText: "Card testing" }),
  ).toBeVisible();
  await staff.goBack();
  await staff.getByRole("button", { name: "Unpause account" }).click();
  const un = staff.getByRole("dialog", { name: `Unpause account ${team}'s team?` });
  await un.getByLabel("Reason").fill("Verified the card holder");
  await un.getByRole("button", { name: "Unpause account" }).click();
  await expect(staff.getByText(`${team}'s team unpaused`)).toBeVisible();
  const after = await playwright.request.newContext({ baseURL });
  expect(
    (await after.get("/api/v1/balance", { headers: { authorization: `Bearer ${key.secret}` } })).status(),
  ).toBe(200);
  await after.dispose();
  await staff.context().close();
});

test("support pages are a 404 for customers", async ({ page }) => {
  expectErrors(/^404 GET \/support\S* \(document\)$/);
  await signUp(page, "Curious");
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Support" }),
  ).toHaveCount(0);
  for (const path of ["/support", "/support/audit", "/support/customers/cus_demo"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});
