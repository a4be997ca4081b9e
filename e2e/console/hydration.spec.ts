import type { Page } from "@playwright/test";
import { expect, SCRIPTS_BLOCKED, test } from "../support/test";
import { DEMO, SUPPORT, signInApi } from "../support/accounts";

// Console pages are server-rendered, and a view's code arrives a moment after its HTML. Until then a
// form must take nothing: text typed into a controlled input would not reach its state (the submit
// would read an empty box), and a click would submit the form natively — a reload that drops the
// input, or for sign-in a GET with the password in the URL. (CI once lost a support lookup this way:
// typed and clicked while the page's code was still loading, the results never came.)

test.describe("with JavaScript off", () => {
  test.use({ javaScriptEnabled: false, expectedErrors: [SCRIPTS_BLOCKED] });

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

/**
 * The page's script chunks are held back until the test lets them through, as on a slow connection
 * or a loaded machine; its HTML and stylesheet arrive as usual. (Holding the stylesheet too would
 * stall the parser at the first inline script, so the form would appear only with its code: a
 * fixed delay on both once made the test race its own premise.)
 */
async function holdScripts(page: Page): Promise<() => Promise<void>> {
  const held: Array<() => void> = [];
  let released = false;
  await page.route("**/_next/static/chunks/**", async (route) => {
    if (!released && route.request().resourceType() === "script") {
      await new Promise<void>((resolve) => held.push(resolve));
    }
    await route.fallback();
  });
  return async () => {
    released = true;
    for (const resolve of held.splice(0)) resolve();
  };
}

test("a lookup typed while the page's code loads slowly still finds the customer", async ({
  page,
  baseURL,
}) => {
  await signInApi(page.request, baseURL!, SUPPORT);
  const release = await holdScripts(page);
  await page.goto("/support", { waitUntil: "commit" });
  // Shown from the HTML, but not live yet: nothing can be typed or clicked into nowhere.
  await expect(page.getByRole("button", { name: "Find" })).toBeDisabled();
  await expect(page.getByLabel("Look up")).toBeDisabled();
  await release();
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
  const release = await holdScripts(page);
  await page.goto("/requests", { waitUntil: "commit" });
  await expect(page.getByLabel("Find a request by ID")).toBeDisabled();
  await expect(page.getByLabel("Path starts with")).toBeDisabled();
  await release();
  await page.getByLabel("Find a request by ID").fill(id);
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/requests/${id}$`));
});
