import type { Page } from "@playwright/test";
import { expect, expectErrors, test } from "../support/test";
import { uniqueEmail } from "../support/accounts";

// A customer's request log: a failed request is in the table, in "what keeps failing?", and its story
// explains the code and links the fix.

// Several sign-ins and page loads per test: give them room on a loaded machine.
test.describe.configure({ timeout: 180_000 });

async function signUp(page: Page, name = "Reqs"): Promise<string> {
  const email = uniqueEmail("e2e-requests");
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-long-password-1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  return email;
}

/** The Overview's threshold form refuses 99999999999 with a real invalid_request; returns its request id. */
async function failOnce(page: Page): Promise<string> {
  expectErrors(/^400 PATCH \/api\/v1\/billing\/settings /);
  await page.getByLabel("Warn under (credits)").fill("99999999999");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByLabel("Warn under (credits)")).toHaveAttribute("aria-invalid", "true");
  const id = (await page.getByTestId("request-id").textContent()) ?? "";
  expect(id).toMatch(/^req_[0-9A-Z]{26}$/);
  return id;
}

test("a failed request is in the log, counted under its code, and its story explains it", async ({
  page,
}) => {
  await signUp(page);
  const id = await failOnce(page);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Requests" }).click();
  await expect(page.getByRole("heading", { name: "Requests", level: 1 })).toBeVisible();
  // What keeps failing: the code with its count; one click filters the list (and the URL) by it.
  const codes = page.getByRole("list", { name: "Error codes with counts" });
  const invalid = codes.getByRole("button", { name: /invalid_request/ });
  await expect(invalid).toContainText("1");
  await invalid.click();
  await expect(invalid).toHaveAttribute("aria-pressed", "true");
  await expect(page).toHaveURL(/code=invalid_request/);
  const row = page.getByRole("link", { name: new RegExp(`Request ${id}`) });
  await expect(row).toBeVisible();
  await expect(page.getByRole("row")).toHaveCount(2); // the header and the one failed request

  // The filter survives a reload (it lives in the URL).
  await page.reload();
  await expect(page.getByRole("link", { name: new RegExp(`Request ${id}`) })).toBeVisible();

  await row.click();
  await expect(page).toHaveURL(new RegExp(`/requests/${id}$`));
  const story = page.getByTestId("request-story");
  await expect(story.getByText("PATCH", { exact: true })).toBeVisible();
  await expect(story.getByRole("heading", { name: "Check the highlighted fields" })).toBeVisible();
  await expect(story.getByText("Body failed validation.")).toBeVisible();
  await expect(story.getByTestId("request-id")).toHaveText(id);
});

test("the search box takes a request id; an unknown id gets the page's own not-found state", async ({
  page,
}) => {
  await signUp(page);
  const id = await failOnce(page);
  await page.goto("/requests");
  await page.getByLabel("Find a request by ID").fill(id.toLowerCase());
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page).toHaveURL(new RegExp(`/requests/${id}$`));
  await expect(page.getByRole("heading", { name: "Check the highlighted fields" })).toBeVisible();

  await page.goto("/requests");
  await page.getByLabel("Find a request by ID").fill("not-an-id");
  await page.getByRole("button", { name: "Open" }).click();
  await expect(page.getByLabel("Find a request by ID")).toHaveAttribute("aria-invalid", "true");

  // Another account's id answers exactly like a missing one.
  const missing = "req_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V";
  expectErrors(new RegExp(`^404 GET /api/v1/requests/${missing} `));
  await page.goto(`/requests/${missing}`);
  await expect(page.getByRole("status").filter({ hasText: "No request with this ID" })).toContainText(
    missing,
  );
});

test("an origin denial shows what was sent against the key's list, with a link to fix the allowlist", async ({
  page,
  playwright,
  baseURL,
}) => {
  await signUp(page);
  const created = await page.request.post("/api/v1/keys", {
    data: { name: "Storefront", allowed_origins: ["https://shop.example.com"] },
    headers: { origin: new URL(baseURL!).origin },
  });
  expect(created.status()).toBe(201);
  const key = (await created.json()) as { id: string; secret: string };
  // A program calling from the wrong site, with no console cookies.
  const program = await playwright.request.newContext({ baseURL });
  const denied = await program.get("/api/v1/products", {
    headers: { authorization: `Bearer ${key.secret}`, origin: "https://evil.example" },
  });
  expect(denied.status()).toBe(403);
  const id = denied.headers()["x-request-id"]!;
  await program.dispose();

  await page.goto("/requests?source=key");
  await expect(page.getByLabel("Sent by").locator("option:checked")).toHaveText("API keys");
  await page.getByRole("link", { name: new RegExp(`Request ${id}`) }).click();
  await expect(page.getByRole("heading", { name: "Origin not allowed" })).toBeVisible();
  await expect(page.getByTestId("allowlist-decision")).toContainText("Denied");
  await expect(page.getByText("https://evil.example").first()).toBeVisible();
  await expect(page.getByText("https://shop.example.com")).toBeVisible();
  const fix = page.getByRole("link", { name: "Edit the allowlist of key “Storefront”" });
  await expect(fix).toHaveAttribute("href", `/keys/${key.id}`);
  await expect(page.getByText(key.secret)).toHaveCount(0);
});
