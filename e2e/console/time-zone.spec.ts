import { expect, test } from "../support/test";
import { storageStateOf } from "../support/accounts";

// Times in the server's HTML are in the viewer's zone once the browser has told it (the `tz` cookie,
// set after the first load); before that they are UTC, marked.

test.use({ storageState: storageStateOf("demo"), timezoneId: "Asia/Tokyo" });

test("after the first visit, the server writes times in the browser's zone, not UTC", async ({
  page,
  context,
}) => {
  await context.clearCookies({ name: "tz" });
  await page.goto("/billing");
  await expect(page.getByRole("heading", { name: "Ledger" })).toBeVisible();
  await expect
    .poll(async () => (await context.cookies()).find((c) => c.name === "tz")?.value)
    .toBe(encodeURIComponent("Asia/Tokyo"));
  // The HTML as the server sends it now, before any script runs.
  const html = await (await page.request.get("/billing")).text();
  const times = [...html.matchAll(/<time [^>]*>([^<]*)<\/time>/g)].map((m) => m[1]!);
  expect(times.length).toBeGreaterThan(0);
  expect(times.filter((t) => t.endsWith(" UTC"))).toEqual([]);
  // And what the page shows after hydration is the same text (no flash from UTC to local).
  await page.reload();
  const shown = await page.locator("main time").first().textContent();
  expect(times).toContain(shown);
});
