import type { Page } from "@playwright/test";
import { expectErrors, test } from "../support/test";
import { createJob, createKey, expect, generate, newAccount, openPlayground } from "./jobs-fixtures";

// The console's live status (issue 16): one event stream per tab (GET /api/v1/events/stream) brings each
// job's end into the open page; the pages poll only while the stream is down.

/**
 * Every request the page makes from now on to /api/v1/jobs… (the list, a job, its polls) — but a job's
 * output file, which the row's thumbnail shows.
 */
function jobReads(page: Page): string[] {
  const reads: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/v1/jobs") && !/^\/api\/v1\/jobs\/[^/]+\/output$/.test(url.pathname))
      reads.push(`${request.method()} ${url.pathname}${url.search}`);
  });
  return reads;
}

test("a job finished by the worker shows up succeeded in an open jobs page: no reload, no polling", async ({
  page,
  baseURL,
  playwright,
}) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const key = await createKey(page, baseURL!);
  const reads = jobReads(page);
  await page.goto("/jobs");
  await expect(page.getByText("No jobs yet")).toBeVisible();
  const indicator = page.getByTestId("live-indicator");
  await expect(indicator).toHaveText("Live");
  // A reload would lose this.
  await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

  // A program makes two jobs with a key (no cookie); the worker finishes them.
  const program = await playwright.request.newContext({ baseURL });
  await createJob(program, baseURL!, { product: "text-to-image", prompt: "live one" }, key.secret);
  await createJob(program, baseURL!, { product: "text-to-image", prompt: "live two !fail" }, key.secret);
  await program.dispose();

  const okRow = page.getByRole("row", { name: /live one/ });
  const badRow = page.getByRole("row", { name: /live two/ });
  await expect(okRow.getByTestId("job-status")).toHaveText("Succeeded");
  await expect(badRow.getByTestId("job-status")).toHaveText("Failed");
  // Newest first, as the list orders them.
  await expect(page.getByRole("row").nth(1)).toContainText("live two");
  await expect(page.getByRole("row").nth(2)).toContainText("live one");
  expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  expect(reads).toEqual([]);
  await expect(indicator).toHaveText("Live");
});

test("the playground follows its job over the stream; with the stream down it polls, and says so", async ({
  page,
  baseURL,
}) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  await openPlayground(page, "Demo Text to Image");
  const indicator = page.getByTestId("live-indicator");
  await expect(indicator).toHaveText("Live");
  await page.getByLabel("Prompt").fill("streamed");
  const reads = jobReads(page);
  expect((await generate(page)).status()).toBe(201);
  const card = page.getByTestId("job-live-card");
  await expect(card.getByTestId("job-status")).toHaveText("Succeeded");
  // The POST, and the one read of the new job as its card mounts: no polls.
  expect(reads.filter((r) => r.startsWith("GET ")).length).toBeLessThanOrEqual(1);

  // The stream's connection fails (the network drops it): the page falls back to polling.
  expectErrors(
    /^requestfailed net::ERR_FAILED GET \/api\/v1\/events\/stream/,
    /^console.error: Failed to load resource: net::ERR_FAILED \[on \/playground\]$/,
  );
  await page.route("**/api/v1/events/stream*", (route) => route.abort("failed"));
  await page.reload();
  await expect(indicator).toHaveText("Updating every 2 s");
  await page.getByLabel("Prompt").fill("polled");
  const polls = jobReads(page);
  expect((await generate(page)).status()).toBe(201);
  await expect(card.getByTestId("job-status")).toHaveText("Succeeded");
  expect(polls.filter((r) => /^GET \/api\/v1\/jobs\/job_/.test(r)).length).toBeGreaterThan(0);

  // Back: the stream reopens by itself and the page is live again.
  await page.unroute("**/api/v1/events/stream*");
  await expect(indicator).toHaveText("Live", { timeout: 45_000 });
});
