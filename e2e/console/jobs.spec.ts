import fs from "node:fs";
import type { Page } from "@playwright/test";
import { expectErrors, test } from "../support/test";

import {
  expect,
  consoleHeaders,
  createJob,
  generate,
  type Job,
  newAccount,
  openPlayground,
  waitForJob,
} from "./jobs-fixtures";
import { axe } from "../support/axe";

// Each test has its own customer (topped up in test mode), so its history is exactly what it made.

async function pickFilter(page: Page, label: string, option: string) {
  await page.getByRole("group", { name: "Filters" }).getByLabel(label).selectOption({ label: option });
}

async function allJobIds(page: Page, query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await page.request.get(`/api/v1/jobs?${query}&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    const body = (await res.json()) as { data: Job[]; next_cursor: string | null };
    ids.push(...body.data.map((j) => j.id));
    cursor = body.next_cursor;
  } while (cursor);
  return ids;
}

test("run a job in the playground, watch it finish, find it in the filtered history, open it, see its cost", async ({
  page,
  baseURL,
}) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const prompt = `harbor at dusk ${Date.now()}`;
  await openPlayground(page, "Demo Text to Image");
  await page.getByLabel("Prompt").fill(prompt);
  expect((await generate(page)).status()).toBe(201);
  const card = page.getByTestId("job-live-card");
  await expect(card.getByTestId("job-status")).toHaveText(/Queued|Running|Succeeded/);
  await expect(card.getByTestId("job-status")).toHaveText("Succeeded", { timeout: 90_000 });
  await expect(card.getByRole("img", { name: `Output of “${prompt}”` })).toBeVisible();
  await expect(card.getByRole("link", { name: "Download" })).toHaveAttribute("download", /\.(png|webp|jpg)$/);

  // A failed job too, so the filters have something to leave out.
  await createJob(page.request, baseURL!, { product: "text-to-image", prompt: "not this one !fail" });

  await page.goto("/jobs");
  await expect(page.getByRole("link", { name: prompt })).toBeVisible();
  await pickFilter(page, "Status", "Succeeded");
  await expect(page).toHaveURL(/status=succeeded/);
  await pickFilter(page, "Product", "Demo Text to Image");
  await expect(page).toHaveURL(
    /status=succeeded&product=text-to-image|product=text-to-image&status=succeeded/,
  );
  await expect(page.getByRole("link", { name: prompt })).toBeVisible();
  await expect(page.getByRole("link", { name: "not this one !fail" })).toBeHidden();

  // The view survives a reload, and the back button steps through the filters.
  await page.reload();
  await expect(
    page.getByRole("group", { name: "Filters" }).getByLabel("Status").locator("option:checked"),
  ).toHaveText("Succeeded");
  await expect(
    page.getByRole("group", { name: "Filters" }).getByLabel("Product").locator("option:checked"),
  ).toHaveText("Demo Text to Image");
  await expect(page.getByRole("link", { name: prompt })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/status=succeeded$/);
  await expect(
    page.getByRole("group", { name: "Filters" }).getByLabel("Product").locator("option:checked"),
  ).toHaveText("All products");
  await page.goForward();
  await expect(page).toHaveURL(/product=text-to-image/);

  await page.getByRole("link", { name: prompt }).click();
  await expect(page).toHaveURL(/\/jobs\/job_/);
  await expect(page.getByTestId("job-status")).toHaveText("Succeeded");
  await expect(page.getByText("10 credits", { exact: true }).first()).toBeVisible();
  const trail = page.getByRole("table", { name: "Money trail" });
  await expect(trail.getByRole("row").filter({ hasText: "Charged" })).toContainText("−10 credits");
  await expect(trail.getByRole("row").filter({ hasText: "Charged" })).toContainText("490 credits");
  await expect(page.getByRole("img", { name: `Output of “${prompt}”` })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible();
  await expect(page.getByText("1 attempt", { exact: true })).toBeVisible();
});

test("a failed job's money trail: charged, then refunded, each with the balance after", async ({
  page,
  baseURL,
}) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const job = await createJob(page.request, baseURL!, {
    product: "text-to-image",
    prompt: "refund me !fail",
  });
  await waitForJob(page.request, job.id, ["failed"]);
  await page.goto(`/jobs/${job.id}`);
  const trail = page.getByRole("table", { name: "Money trail" });
  await expect(trail.getByRole("row").filter({ hasText: "Charged" })).toContainText("490 credits");
  await expect(trail.getByRole("row").filter({ hasText: "Refunded" })).toContainText("+10 credits");
  await expect(trail.getByRole("row").filter({ hasText: "Refunded" })).toContainText("500 credits");
  await expect(page.getByText("Net cost of this job: 0 credits")).toBeVisible();
});

test("Export CSV downloads exactly the filtered set", async ({ page, baseURL }) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const made = [
    await createJob(page.request, baseURL!, { product: "text-to-image", prompt: "=cmd|' /C calc'!A0" }),
    await createJob(page.request, baseURL!, { product: "text-to-image", prompt: "fails !fail" }),
    await createJob(page.request, baseURL!, { product: "text-to-image", prompt: "fails too !fail" }),
  ];
  for (const job of made) await waitForJob(page.request, job.id, ["succeeded", "failed"]);

  async function download(): Promise<string[][]> {
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await (await downloading).path();
    const lines = fs.readFileSync(file!, "utf8").trim().split(/\r\n/);
    return lines.map((line) => line.split(","));
  }

  await page.goto("/jobs?status=failed");
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
    "href",
    "/api/v1/jobs/export.csv?status=failed",
  );
  const failed = await download();
  expect(failed[0]!.slice(0, 3)).toEqual(["id", "created_at", "status"]);
  const failedIds = failed.slice(1).map((cells) => cells[0]);
  expect(failedIds).toEqual(await allJobIds(page, "status=failed"));
  expect(failedIds).toHaveLength(2);

  await page.goto("/jobs");
  const all = await download();
  expect(all.slice(1).map((cells) => cells[0])).toEqual(await allJobIds(page, ""));
  // A cell a spreadsheet would run as a formula is neutralised.
  expect(all.some((cells) => cells.some((cell) => cell.startsWith("'=cmd")))).toBe(true);
});

test("Retry selected: shows what it will cost first, then reports each job", async ({ page, baseURL }) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const jobs = [
    await createJob(page.request, baseURL!, { product: "text-to-image", prompt: "retry a !fail" }),
    await createJob(page.request, baseURL!, { product: "text-to-image", prompt: "retry b !fail" }),
  ];
  for (const job of jobs) await waitForJob(page.request, job.id, ["failed"]);

  await page.goto("/jobs?status=failed");
  await page.getByRole("button", { name: "Select all failed in this filter" }).click();
  await expect(
    page.getByText("All 2 failed jobs in this filter selected · 20 credits to retry"),
  ).toBeVisible();
  await page.getByRole("button", { name: "Retry selected" }).click();
  const dialog = page.getByRole("dialog", { name: "Retry 2 failed jobs" });
  await expect(dialog.getByTestId("retry-cost")).toHaveText("20 credits");

  // One of them is retried elsewhere in the meantime: that one is reported, the other goes through.
  expectErrors(new RegExp(`^409 POST /api/v1/jobs/${jobs[0]!.id}/retry `));
  const raced = await page.request.post(`/api/v1/jobs/${jobs[0]!.id}/retry`, {
    data: {},
    headers: consoleHeaders(baseURL!),
  });
  expect(raced.status()).toBe(200);
  await dialog.getByRole("button", { name: "Retry 2 for 20 credits" }).click();
  const finished = page.getByRole("dialog", { name: "Retry finished" });
  await expect(finished).toContainText("1 of 2 re-queued.");
  const failures = finished.getByRole("alert");
  await expect(failures).toContainText("1 could not be retried");
  await expect(failures.getByRole("link", { name: "retry a !fail" })).toBeVisible();
  await expect(failures).toContainText("Not possible right now");
  await expect(failures.getByTestId("request-id")).toHaveText(/^req_/);
});

test("keyset paging: Load more follows the cursor; unfinished rows update by themselves", async ({
  page,
  baseURL,
}) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const made: Job[] = [];
  for (let i = 0; i < 27; i++) {
    made.push(
      await createJob(page.request, baseURL!, { product: "text-to-image", prompt: `page test ${i}` }),
    );
  }
  // Cancel the older ones (those not started yet) so the shared worker is not kept busy for long.
  for (const job of made.slice(0, 24)) {
    await page.request.post(`/api/v1/jobs/${job.id}/cancel`, { data: {}, headers: consoleHeaders(baseURL!) });
  }
  await page.goto("/jobs");
  const rows = page.getByRole("row").filter({ hasText: "page test" });
  await expect(rows).toHaveCount(25);
  const next = page.waitForRequest((r) => r.url().includes("/api/v1/jobs?") && r.url().includes("cursor="));
  await page.getByRole("button", { name: "Load more" }).click();
  const url = new URL((await next).url());
  expect(url.searchParams.has("offset")).toBe(false);
  await expect(rows).toHaveCount(27);
  await expect(page.getByRole("button", { name: "Load more" })).toBeHidden();

  // The newest jobs finish on screen, without a reload (the list polls while any is unfinished).
  const newest = rows.filter({ hasText: "page test 26" });
  await expect(newest.getByTestId("job-status")).toHaveText("Succeeded", { timeout: 90_000 });
});

test("an account with no jobs sees the empty state", async ({ page, baseURL }) => {
  await newAccount(page.request, baseURL!);
  await page.goto("/jobs");
  await expect(page.getByText("No jobs yet")).toBeVisible();
  await expect(page.getByRole("link", { name: "Open the playground" })).toBeVisible();
  await page.goto("/jobs?status=failed");
  await expect(page.getByText("No jobs match these filters")).toBeVisible();
});

test("axe finds no violations on /jobs, a job page and /playground", async ({ page, baseURL }) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const job = await createJob(page.request, baseURL!, {
    product: "text-to-image",
    prompt: "accessible !fail",
  });
  await waitForJob(page.request, job.id, ["failed"]);
  const ok = await createJob(page.request, baseURL!, { product: "text-to-image", prompt: "accessible" });
  await waitForJob(page.request, ok.id, ["succeeded"]);

  for (const path of ["/jobs", `/jobs/${job.id}`, `/jobs/${ok.id}`, "/playground"]) {
    await page.goto(path);
    await expect(page.locator("main")).toBeVisible();
    await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
    const results = await axe(page).analyze();
    expect(results.violations, `${path}: ${JSON.stringify(results.violations, null, 2)}`).toEqual([]);
  }
});
