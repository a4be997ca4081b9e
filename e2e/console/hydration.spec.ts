import { expect, type Page, test } from "@playwright/test";
import { DEMO, SUPPORT, signInApi } from "../support/accounts";

// Console pages are server-rendered, and a view's code arrives a moment after its HTML. Until then a
// form must take nothing: text typed into a controlled input would not reach its state (the submit
// would read an empty box), and a click would submit the form natively — a reload that drops the
// input, or for sign-in a GET with the password in the URL. (CI once lost a support lookup this way:
// typed and clicked while the page's code was still loading, the results never came.)

test.describe("with JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-in: every control is disabled, and the form would POST, never put a password in a URL", async ({
    page,
  }) => {
    await page.goto("/sign-in");
    await expect(page.getByLabel("Email")).toBeDisabled();
    await expect(page.getByLabel("Password")).toBeDisabled();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeDisabled();
    await expect(page.locator("form")).toHaveAttribute("method", "post");
  });
});

/** Script chunks arrive 2 s late, as on a slow connection or a loaded machine. */
async function slowScripts(page: Page) {
  await page.route("**/_next/static/chunks/**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await route.continue();
  });
}

test("a lookup typed while the page's code loads slowly still finds the customer", async ({
  page,
  baseURL,
}) => {
  await signInApi(page.request, baseURL!, SUPPORT);
  await slowScripts(page);
  await page.goto("/support", { waitUntil: "commit" });
  // Shown at once, but not live yet: nothing can be typed or clicked into nowhere.
  await expect(page.getByRole("button", { name: "Find" })).toBeDisabled();
  await expect(page.getByLabel("Look up")).toBeDisabled();
  // Playwright types as soon as the box takes input, as a person would.
  await page.getByLabel("Look up").fill(DEMO.email);
  await page.getByRole("button", { name: "Find" }).click();
  await expect(page).toHaveURL(/\?q=demo(%40|@)example\.com/);
  await expect(page.getByRole("link", { name: "Open customer" })).toBeVisible();
});

test("the request search is disabled until it is live, then opens the request", async ({ page, baseURL }) => {
  await signInApi(page.request, baseURL!, DEMO);
  const id = (await page.request.get("/api/v1/balance")).headers()["x-request-id"]!;
  expect(id).toMatch(/^req_/);
  await slowScripts(page);
  await page.goto("/requests", { waitUntil: "commit" });
  await expect(page.getByLabel("Find a request by ID")).toBeDisabled();
  await expect(page.getByLabel("Path starts with")).toBeDisabled();
  await page.getByLabel("Find a request by ID").fill(id);
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/requests/${id}$`));
});
