import type { Page } from "@playwright/test";
import { expect, expectErrors, test } from "../support/test";
import { storageStateOf } from "../support/accounts";

// The two codes no person reaches through the console's own flows, made to happen at the browser's
// edge and rendered as their UI states (ARCHITECTURE.md): the server's answers are real for
// invalid_pack, simulated for internal_error (a bug of ours that no request can provoke on purpose).

async function balance(page: Page): Promise<number> {
  return (await (await page.request.get("/api/v1/balance")).json()).credits;
}

/** The billing page, hydrated: its packs have loaded. */
async function openBilling(page: Page) {
  await page.goto("/billing");
  const packs = page.getByRole("list", { name: "Packs" });
  await expect(packs).toBeVisible({ timeout: 60_000 });
  // The list is in the server's HTML; its buttons come alive with the page (until then the query
  // cache, and its focus listener, do not exist yet: a focus event before that would be lost).
  await expect(packs.getByRole("button").first()).toBeEnabled();
}

test.use({ storageState: storageStateOf("demo") });

// @code:invalid_pack
test("invalid_pack → a pack withdrawn while the page was open is refused, with the request id", async ({
  page,
}) => {
  expectErrors(/^400 POST \/api\/v1\/top-ups /);
  // The page has been open a while, and its last read of the packs listed one no longer on sale (the
  // list is older than the server's). The first list came with the page; the browser's next read,
  // once it is stale and the tab regains focus, is the one made to carry the retired pack.
  await page.clock.install();
  await openBilling(page);
  await page.route("**/api/v1/top-up-packs", async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.data.push({ id: "pack_retired", name: "Retired", credits: 100, price_cents: 100, currency: "usd" });
    await route.fulfill({ response, json: body });
  });
  await page.clock.fastForward("06:00");
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange", { bubbles: true })));
  await expect(page.getByRole("button", { name: /^Buy Retired/ })).toBeVisible();
  const before = await balance(page);
  const answer = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/top-ups") && r.request().method() === "POST",
  );
  await page.getByRole("button", { name: /^Buy Retired/ }).click();
  const response = await answer;
  expect(response.status()).toBe(400);
  expect((await response.json()).error.code).toBe("invalid_pack");

  const alert = page.getByRole("alert").filter({ hasText: "Unknown pack" });
  await expect(alert).toContainText("Choose one of the packs shown.");
  await expect(alert.getByTestId("request-id")).toHaveText(response.headers()["x-request-id"]!);
  await expect(alert.getByRole("button", { name: "Copy request ID" })).toBeVisible();
  // Refused means nothing bought.
  expect(await balance(page)).toBe(before);
});

// @code:internal_error
test("internal_error → the generic state: what happened, Try again, and the request id for support", async ({
  page,
}) => {
  expectErrors(/^500 POST \/api\/v1\/top-ups /);
  const requestId = "req_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V";
  let calls = 0;
  await page.route("**/api/v1/top-ups", async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    calls++;
    await route.fulfill({
      status: 500,
      headers: { "x-request-id": requestId },
      json: {
        error: {
          code: "internal_error",
          message: "Something went wrong on our side.",
          request_id: requestId,
        },
      },
    });
  });
  // The page's clock is ours: "not retried by itself" is proven over a minute of its time, not by waiting.
  await page.clock.install();
  await openBilling(page);
  await page.getByRole("button", { name: /^Buy Starter/ }).click();

  const alert = page.getByRole("alert").filter({ hasText: "Something went wrong on our side" });
  await expect(alert).toContainText("give support the request ID");
  await expect(alert).toContainText("internal_error · HTTP 500");
  await expect(alert.getByTestId("request-id")).toHaveText(requestId);
  // Not retried by itself (a 500 is not a retryable code); Try again sends it once more.
  await page.clock.runFor(60_000);
  expect(calls).toBe(1);
  await alert.getByRole("button", { name: "Try again" }).click();
  await expect.poll(() => calls).toBe(2);
});
