import { expectErrors, test } from "../support/test";
import { expect, createKey, generate, newAccount, openPlayground, pasteKey, solidPng } from "./jobs-fixtures";

test.beforeEach(async ({ page, baseURL }) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
});

test("an image edit uploads its source image with a pasted key, and the job page shows both images", async ({
  page,
  baseURL,
}) => {
  const key = await createKey(page, baseURL!);
  await openPlayground(page, "Demo Image Edit");
  await pasteKey(page, key.secret);
  await page.getByLabel("Prompt").fill("make it blue");
  await page
    .getByLabel("Source image")
    .setInputFiles({ name: "red.png", mimeType: "image/png", buffer: solidPng(32, 32, [200, 30, 30]) });
  await expect(page.getByRole("img", { name: "Chosen image" })).toBeVisible();
  const upload = page.waitForResponse((r) => r.url().endsWith("/api/v1/uploads"));
  const job = await generate(page);
  expect((await upload).status()).toBe(201);
  expect(job.status()).toBe(201);
  const body = job.request().postDataJSON();
  expect(body.source_image_url).toBe((await (await upload).json()).url);

  const card = page.getByTestId("job-live-card");
  await expect(card.getByTestId("job-status")).toHaveText("Succeeded", { timeout: 90_000 });
  await card.getByRole("link", { name: "Open job page" }).click();
  await expect(page.getByRole("img", { name: "Source image" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Output of “make it blue”" })).toBeVisible();
});

test("a pasted key that allows only this console's origin creates its job and follows it to the end", async ({
  page,
  baseURL,
}) => {
  const key = await createKey(page, baseURL!, { allowed_origins: [new URL(baseURL!).origin] });
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && /hydrat|#418/i.test(m.text())) pageErrors.push(m.text());
  });
  // With the event stream up, the job's end comes from it and the page need not read the job at all
  // (live-status.spec); cut it, so the page follows the job by polling with the pasted key — the reads
  // this test is about.
  expectErrors(
    /^requestfailed net::ERR_FAILED GET \/api\/v1\/events\/stream/,
    /^console.error: Failed to load resource: net::ERR_FAILED \[on \/playground\]$/,
  );
  await page.route("**/api/v1/events/stream*", (route) => route.abort("failed"));
  await openPlayground(page, "Demo Text to Image");
  await expect(page.getByTestId("live-indicator")).toHaveText("Updating every 2 s");
  await pasteKey(page, key.secret);
  await page.getByLabel("Prompt").fill("a lighthouse at dusk");
  // Polling GETs carry no Origin: the browser's Sec-Fetch-Site: same-origin stands for it.
  const polls: number[] = [];
  page.on("response", (r) => {
    if (/\/api\/v1\/jobs\/job_/.test(r.url()) && r.request().method() === "GET") polls.push(r.status());
  });
  const job = await generate(page);
  expect(job.status()).toBe(201);
  const card = page.getByTestId("job-live-card");
  await expect(card.getByTestId("job-status")).toHaveText("Succeeded", { timeout: 90_000 });
  expect(polls.length).toBeGreaterThan(0);
  expect(polls.every((s) => s === 200)).toBe(true);
  // The page hydrated cleanly (the Idempotency-Key shown is drawn in the browser, not on the server).
  expect(pageErrors).toEqual([]);
});

test("a video product renders its animated output, downloadable", async ({ page, baseURL }) => {
  const key = await createKey(page, baseURL!);
  await openPlayground(page, "Demo Image to Video");
  await pasteKey(page, key.secret);
  await page.getByLabel("Prompt").fill("a slow pan");
  await page
    .getByLabel("Start image")
    .setInputFiles({ name: "start.png", mimeType: "image/png", buffer: solidPng(32, 32, [20, 120, 200]) });
  expect((await generate(page)).status()).toBe(201);
  const card = page.getByTestId("job-live-card");
  await expect(card.getByTestId("job-status")).toHaveText("Succeeded", { timeout: 90_000 });
  await expect(card.getByRole("img", { name: "Output of “a slow pan”" })).toBeVisible();
  await expect(card.getByText(/image\/(webp|gif)/)).toBeVisible();
  await expect(card.getByRole("link", { name: "Download" })).toHaveAttribute("download", /\.(webp|gif)$/);
});

test("with the console session, a chosen image is uploaded too", async ({ page }) => {
  await openPlayground(page, "Demo Image Edit");
  await page.getByLabel("Prompt").fill("session upload");
  await page
    .getByLabel("Source image")
    .setInputFiles({ name: "red.png", mimeType: "image/png", buffer: solidPng(16, 16, [200, 30, 30]) });
  const upload = page.waitForResponse((r) => r.url().endsWith("/api/v1/uploads"));
  expect((await generate(page)).status()).toBe(201);
  expect((await upload).status()).toBe(201);
});

test("the snippets name the key by its prefix only, and show the Idempotency-Key that is sent", async ({
  page,
  baseURL,
}) => {
  const key = await createKey(page, baseURL!);
  await openPlayground(page, "Demo Text to Image");
  await page.getByLabel("Prompt").fill("it's a test");
  const curl = page.getByLabel("curl snippet", { exact: true });
  await expect(curl).toContainText("# GENMEDIA_API_KEY: the secret of one of your keys");
  await expect(curl).toContainText(`'${baseURL}/api/v1/jobs'`);
  await pasteKey(page, key.secret);
  await expect(curl).toContainText(`the secret of key ${key.secret.slice(0, 12)}…`);
  await expect(curl).not.toContainText(key.secret);
  await expect(curl).toContainText(`"prompt":"it'\\''s a test"`);
  // The same call in the SDK and in Python.
  await page.getByRole("tab", { name: "TypeScript SDK" }).click();
  await expect(page.getByLabel("TypeScript SDK snippet", { exact: true })).toContainText(
    "genmedia.jobs.create(",
  );
  await page.getByRole("tab", { name: "Python" }).click();
  await expect(page.getByLabel("Python snippet", { exact: true })).toContainText('"prompt": "it\'s a test"');
  await page.getByRole("tab", { name: "curl" }).click();
  const shownKey = /Idempotency-Key: ([^'\n]+)/.exec((await curl.textContent()) ?? "")![1]!;

  const response = await generate(page);
  expect(response.status()).toBe(201);
  expect(response.request().headers()["idempotency-key"]).toBe(shownKey);
  expect(response.request().headers()["authorization"]).toBe(`Bearer ${key.secret}`);
  // The key's job: made with the pasted key, not the console session.
  expect((await response.json()).key_id).toBe(key.id);
  // The next request gets a new key.
  await expect(curl).not.toContainText(shownKey);
});
