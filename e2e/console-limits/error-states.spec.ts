import { expectErrors, test } from "../support/test";
import { DEMO, signInUi } from "../support/accounts";
import {
  createJob,
  expect,
  createKey,
  expectFieldError,
  expectRequestIdShown,
  generate,
  newAccount,
  openPlayground,
  pasteKey,
} from "../console/jobs-fixtures";

// The e2e server with small limits (scripts/e2e-server.mjs limits): RATE_LIMIT_PER_MINUTE=30,
// MAX_UNFINISHED_JOBS_PER_KEY=2, DEMO_GENERATION_MS=8000, MAX_UPLOAD_BYTES=64 KiB. Each test spends its
// own budget: a fresh account or a fresh key.

// @code:rate_limited
test("rate_limited → a countdown (Retrying in N s) with the limit and the request id", async ({
  page,
  baseURL,
  playwright,
}) => {
  expectErrors(/^429 POST \/api\/v1\/jobs /);
  await newAccount(page.request, baseURL!);
  const key = await createKey(page, baseURL!);
  // Spend the key's whole minute from a program.
  const program = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${key.secret}` },
  });
  await expect
    .poll(async () => (await program.get("/api/v1/balance")).status(), { timeout: 30_000, intervals: [0] })
    .toBe(429);
  await program.dispose();

  await openPlayground(page, "Demo Text to Image");
  await page.getByLabel("Prompt").fill("too fast");
  await pasteKey(page, key.secret);
  const response = await generate(page);
  expect(response.status()).toBe(429);
  await expect(page.getByRole("status").filter({ hasText: /^Retrying in \d+ s$/ })).toBeVisible();
  await expect(page.getByText("The limit is 30 requests per 60 s.")).toBeVisible();
  await expectRequestIdShown(page, response);
});

// @code:queue_full
test("queue_full → an alert with View unfinished jobs, which lists them", async ({ page, baseURL }) => {
  expectErrors(/^429 POST \/api\/v1\/jobs /);
  await signInUi(page, DEMO);
  const key = await createKey(page, baseURL!);
  await openPlayground(page, "Demo Text to Image");
  await page.getByLabel("Prompt").fill("one too many");
  await pasteKey(page, key.secret);
  // Fill the key's queue (2) from a program; each job takes 8 s, so both are still unfinished.
  for (const n of [1, 2]) {
    await createJob(page.request, baseURL!, { product: "text-to-image", prompt: `queued ${n}` }, key.secret);
  }
  const response = await generate(page);
  expect(response.status()).toBe(429);
  const alert = page.getByRole("alert").filter({ hasText: "Too many unfinished jobs" });
  await expect(alert).toContainText("the limit is 2");
  await expectRequestIdShown(page, response);

  await alert.getByRole("link", { name: "View unfinished jobs" }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs\\?key=${key.id}$`));
  await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
  for (const n of [1, 2]) {
    await expect(
      page
        .getByRole("row")
        .filter({ hasText: `queued ${n}` })
        .getByTestId("job-status"),
    ).toHaveText(/Queued|Running|Succeeded/);
  }
});

// @code:image_too_large
test("image_too_large → the message on Source image, past the client's pre-check", async ({
  page,
  baseURL,
}) => {
  expectErrors(/^400 POST \/api\/v1\/uploads /);
  await newAccount(page.request, baseURL!);
  const key = await createKey(page, baseURL!);
  await openPlayground(page, "Demo Image Edit");
  await page.getByLabel("Prompt").fill("make it bigger");
  // With a pasted key: console-session uploads wait on the server (see e2e/console/playground.spec.ts).
  await pasteKey(page, key.secret);
  // 100 KB: under the client's 10 MB pre-check, over this server's 64 KiB cap.
  await page
    .getByLabel("Source image")
    .setInputFiles({ name: "big.png", mimeType: "image/png", buffer: Buffer.alloc(100_000, 7) });
  const response = await generate(page, "/uploads");
  expect(response.status()).toBe(400);
  await expectFieldError(page, "Source image", /Image too large\. The limit is 0\.06 MB/);
  await expectRequestIdShown(page, response);
});
