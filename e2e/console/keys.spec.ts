import type { Page } from "@playwright/test";
import { expect, expectErrors, test } from "../support/test";
import { storageStateOf } from "../support/accounts";
import { axe } from "../support/axe";

// A person's whole key lifecycle in the console, with the key used from Playwright's request API.
// Long flows on a shared machine: more time than the default, never a timed assertion.
test.describe.configure({ timeout: 180_000 });
// Signed in as the demo owner (e2e/setup); signing in itself, with its way back, is auth.spec.ts's.
test.use({ storageState: storageStateOf("demo") });

async function callWithKey(page: Page, secret: string, headers: Record<string, string> = {}) {
  const res = await page.request.get("/api/v1/products", {
    headers: { authorization: `Bearer ${secret}`, ...headers },
  });
  return { status: res.status(), body: res.status() === 200 ? null : await res.json() };
}

/** On /keys, once the list has loaded (so the page is hydrated and its buttons work). */
async function keysLoaded(page: Page) {
  await expect(page.getByRole("heading", { name: "API keys", exact: true })).toBeVisible();
  await expect(page.getByLabel("Loading keys")).toHaveCount(0);
}

/** Creates a key through the dialog and returns its secret, read from the show-once dialog. */
async function createKeyUi(page: Page, name: string): Promise<string> {
  await keysLoaded(page);
  await page.getByRole("button", { name: "Create key" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: "Save your secret key" });
  await expect(reveal).toBeVisible();
  return reveal.getByLabel("Secret key").inputValue();
}

async function closeSecretDialog(page: Page, title: string) {
  const reveal = page.getByRole("dialog", { name: title });
  const done = reveal.getByRole("button", { name: "Done" });
  await expect(done).toBeDisabled();
  // It can't be dismissed before the secret is confirmed stored.
  await page.keyboard.press("Escape");
  await expect(reveal).toBeVisible();
  await reveal.getByRole("checkbox", { name: "I have stored it" }).check();
  await done.click();
  await expect(reveal).toBeHidden();
}

test("create a key, read the secret once, restrict it, explain the denial, allow, pause, roll, revoke", async ({
  page,
}) => {
  const name = `E2E key ${Date.now()}`;
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", exact: true })).toBeVisible();

  const secret = await createKeyUi(page, name);
  expect(secret).toMatch(/^sk_live_[0-9A-Za-z]{38}$/);
  await expect(page.getByText("Key created")).toBeVisible();
  const reveal = page.getByRole("dialog", { name: "Save your secret key" });
  await expect(reveal.getByText(`-H "Idempotency-Key: `)).toBeVisible();
  await expect(reveal.getByText(`Authorization: Bearer ${secret}`)).toBeVisible();
  await reveal.getByRole("button", { name: "Copy secret" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await closeSecretDialog(page, "Save your secret key");

  // Shown once: gone from the page, and the list shows the prefix only.
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(row).toContainText("Unrestricted");
  expect(await page.content()).not.toContain(secret);

  // The key works from a program.
  expect((await callWithKey(page, secret)).status).toBe(200);

  // Restrict it to an origin; a request from elsewhere is refused.
  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await page.getByLabel("New allowed origin").fill("https://allowed.example");
  await page.getByRole("button", { name: "Add origin" }).click();
  await page.getByRole("button", { name: "Save allowlists" }).click();
  await expect(page.getByText("Allowlists saved")).toBeVisible();
  const denied = await callWithKey(page, secret, { origin: "https://app.other.example" });
  expect(denied.status).toBe(403);
  expect(denied.body.error).toMatchObject({
    code: "origin_not_allowed",
    details: { origin: "https://app.other.example" },
  });

  // The console explains it and allows it.
  await page.getByLabel("Origin", { exact: true }).fill(denied.body.error.details.origin);
  await page.getByRole("button", { name: "Check" }).click();
  const explainer = page.getByRole("alert").filter({ hasText: "Origin not allowed" });
  await expect(explainer).toContainText("https://app.other.example");
  await expect(explainer).toContainText("https://allowed.example");
  await explainer.getByRole("button", { name: "Allow", exact: true }).click();
  await expect(page.getByText("Allowed https://app.other.example")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Allowed" })).toBeVisible();
  await expect(page.getByLabel("Allowed origin 2")).toHaveValue("https://app.other.example");
  expect((await callWithKey(page, secret, { origin: "https://app.other.example" })).status).toBe(200);

  // Pause and resume.
  await page.getByRole("button", { name: "Pause key" }).click();
  await expect(page.getByText("Key paused")).toBeVisible();
  const paused = await callWithKey(page, secret, { origin: "https://allowed.example" });
  expect([paused.status, paused.body.error.code, paused.body.error.details]).toEqual([
    403,
    "account_disabled",
    { scope: "key" },
  ]);
  await page.getByRole("button", { name: "Resume key" }).click();
  await expect(page.getByText("Key resumed")).toBeVisible();
  expect((await callWithKey(page, secret, { origin: "https://allowed.example" })).status).toBe(200);

  // Roll with an hour of grace: both secrets work.
  await page.getByRole("combobox", { name: "Old secret stops working" }).selectOption({ label: "In 1 hour" });
  await page.getByRole("button", { name: "Roll secret" }).click();
  await page
    .getByRole("alertdialog", { name: `Roll the secret of “${name}”?` })
    .getByRole("button", { name: "Roll secret" })
    .click();
  const rolledDialog = page.getByRole("dialog", { name: "Save the new secret" });
  const rolled = await rolledDialog.getByLabel("Secret key").inputValue();
  expect(rolled).not.toBe(secret);
  await expect(rolledDialog).toContainText("The old secret keeps working until");
  await closeSecretDialog(page, "Save the new secret");
  for (const s of [secret, rolled])
    expect((await callWithKey(page, s, { origin: "https://allowed.example" })).status).toBe(200);

  // Revoke, behind a confirmation that names the key.
  await page.getByRole("button", { name: "Revoke key" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Revoke “${name}”?` });
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText("Key revoked")).toBeVisible();
  await expect(page.getByText("Revoked", { exact: true }).first()).toBeVisible();
  for (const s of [secret, rolled]) {
    const res = await callWithKey(page, s, { origin: "https://allowed.example" });
    expect([res.status, res.body.error.code]).toEqual([401, "authentication_failed"]);
  }
});

test("an IP denial is explained with the observed IP, and Allow lets it through", async ({ page }) => {
  const name = `E2E ip ${Date.now()}`;
  await page.goto("/keys");
  await expect(page.getByRole("heading", { name: "API keys", exact: true })).toBeVisible();
  const secret = await createKeyUi(page, name);
  await closeSecretDialog(page, "Save your secret key");
  await page.getByRole("link", { name }).click();
  await page.getByLabel("New allowed IP").fill("198.51.100.0/24");
  await page.getByRole("button", { name: "Add IP" }).click();
  await expect(page.getByText(/reserved \(documentation or test\) range/)).toBeVisible();
  await page.getByRole("button", { name: "Save allowlists" }).click();
  await expect(page.getByText("Allowlists saved")).toBeVisible();

  const denied = await callWithKey(page, secret);
  expect(denied.status).toBe(403);
  expect(denied.body.error.code).toBe("ip_not_allowed");
  const observed: string = denied.body.error.details.ip;

  await page.getByLabel("IP address").fill(observed);
  await page.getByRole("button", { name: "Check" }).click();
  const explainer = page.getByRole("alert").filter({ hasText: "IP address not allowed" });
  await expect(explainer).toContainText(observed);
  await expect(explainer).toContainText("198.51.100.0/24");
  await explainer.getByRole("button", { name: "Allow", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Allowed" })).toBeVisible();
  expect((await callWithKey(page, secret)).status).toBe(200);
});

test("invalid entries are marked inline from the server's field paths", async ({ page }) => {
  expectErrors(/^400 POST \/api\/v1\/keys /);
  await page.goto("/keys");
  await keysLoaded(page);
  await page.getByRole("button", { name: "Create key" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill(`E2E invalid ${Date.now()}`);
  for (const ip of ["203.0.113.7", "0.0.0.0/0"]) {
    await dialog.getByLabel("New allowed IP").fill(ip);
    await dialog.getByRole("button", { name: "Add IP" }).click();
  }
  await dialog.getByLabel("New allowed origin").fill("http://localhost:8080");
  await dialog.getByRole("button", { name: "Add origin" }).click();
  await expect(dialog.getByText(/http:\/\/ is unencrypted/)).toBeVisible();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const bad = dialog.getByLabel("Allowed IP 2");
  await expect(bad).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: "Check the highlighted fields" })).toBeVisible();
  await expect(dialog.getByLabel("Allowed IP 1")).not.toHaveAttribute("aria-invalid", "true");
  const describedBy = (await bad.getAttribute("aria-describedby")) ?? "";
  await expect(page.locator(`[id="${describedBy.split(" ")[0]}"]`)).toContainText("/0 allows every address");
  await dialog.getByRole("button", { name: "Remove 0.0.0.0/0" }).click();
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByRole("dialog", { name: "Save your secret key" })).toBeVisible();
});

test("the key page's snippets name the key by its prefix, and the call they show creates a job with it", async ({
  page,
}) => {
  await page.goto("/keys");
  const name = `E2E snippets ${Date.now()}`;
  const secret = await createKeyUi(page, name);
  await closeSecretDialog(page, "Save your secret key");
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name: "Use this key" })).toBeVisible();
  const curl = page.getByLabel("curl snippet", { exact: true });
  await expect(curl).toContainText(`# GENMEDIA_API_KEY: the secret of key ${secret.slice(0, 12)}…`);
  await expect(curl).not.toContainText(secret);
  await expect(curl).toContainText(/Idempotency-Key: [\w-]+/);
  const text = (await curl.textContent())!;
  const url = /curl -X POST '([^']+)'/.exec(text)![1]!;
  const idempotencyKey = /Idempotency-Key: ([\w-]+)/.exec(text)![1]!;
  const body = JSON.parse(/-d '([^']+)'/.exec(text)![1]!);

  // What the snippet does, with the key's secret where it says: a job of this key; again, the same job.
  const send = () =>
    page.request.post(url, {
      headers: { authorization: `Bearer ${secret}`, "idempotency-key": idempotencyKey },
      data: body,
    });
  const first = await send();
  expect(first.status()).toBe(201);
  const job = await first.json();
  expect(job.key_id).toMatch(/^key_/);
  expect((await (await send()).json()).id).toBe(job.id);

  await page.getByRole("tab", { name: "TypeScript SDK" }).click();
  const sdk = page.getByLabel("TypeScript SDK snippet", { exact: true });
  await expect(sdk).toContainText(`idempotencyKey: "${idempotencyKey}"`);
  await expect(sdk).toContainText(`product: "${body.product}"`);
  await page.getByRole("tab", { name: "Python" }).click();
  await expect(page.getByLabel("Python snippet", { exact: true })).toContainText(
    `"Idempotency-Key": "${idempotencyKey}"`,
  );
  await page.getByRole("button", { name: "Copy Python snippet" }).click();
  await expect(page.getByText("Python snippet copied")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(
    `"Idempotency-Key": "${idempotencyKey}"`,
  );
});

test("a key of another account is the page's own not-found state", async ({ page }) => {
  expectErrors(/^404 GET \/api\/v1\/keys\/key_01Z{24} /);
  await page.goto("/keys/key_01ZZZZZZZZZZZZZZZZZZZZZZZZ");
  await expect(page.getByRole("heading", { name: "Key not found" })).toBeVisible();
  await expect(page.getByText("key_01ZZZZZZZZZZZZZZZZZZZZZZZZ")).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy request ID" })).toBeVisible();
});

test("the keys pages have no serious accessibility violations, and work on a phone", async ({ page }) => {
  await page.goto("/keys");
  const name = `E2E a11y ${Date.now()}`;
  await createKeyUi(page, name);
  await closeSecretDialog(page, "Save your secret key");
  const scan = async () =>
    (await axe(page).include("main").analyze()).violations.filter(
      (v) => v.impact === "serious" || v.impact === "critical",
    );
  expect(await scan()).toEqual([]);
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name: "Allowlists" })).toBeVisible();
  expect(await scan()).toEqual([]);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("button", { name: "Open navigation" }).click();
  await page.getByRole("menuitem", { name: "Keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
