import type { Page } from "@playwright/test";
import { expectErrors, test } from "../support/test";
import { storageStateOf } from "../support/accounts";
import {
  consoleHeaders,
  createJob,
  createKey,
  expect,
  expectFieldError,
  expectRequestIdShown,
  generate,
  openOptions,
  openPlayground,
  pasteKey,
  waitForJob,
} from "./jobs-fixtures";

// Independent tests (each its own keys and jobs, or only reads): they spread over both workers.
test.describe.configure({ mode: "parallel" });

// Every job-side code of the catalog, reached for real against the e2e server, rendered as the state
// ARCHITECTURE.md names — each with the request id of the answer and its copy button.
// (rate_limited, queue_full and image_too_large: e2e/console-limits; rate_limiter_unavailable:
// e2e/console-redis-down.)

const NOT_AN_IMAGE = {
  name: "photo.png",
  mimeType: "image/png",
  buffer: Buffer.from("this is not a png at all"),
};

type FieldCase = {
  code: string;
  product?: string;
  search?: string;
  prepare?: (page: Page, baseURL: string) => Promise<void>;
  prompt?: string;
  path?: "/jobs" | "/uploads";
  field: string;
  message: RegExp;
};

const FIELD_CASES: FieldCase[] = [
  {
    code: "invalid_request (prompt)",
    prompt: "",
    field: "Prompt",
    message: /Write a prompt/,
  },
  {
    code: "invalid_request (params)",
    prepare: async (page) => {
      await openOptions(page);
      await page.getByLabel("Width").fill("5000");
    },
    field: "Width",
    message: /2048/,
  },
  {
    code: "invalid_product",
    search: "?product=no-such-model",
    field: "Product",
    message: /Unknown product/,
  },
  {
    code: "source_image_required",
    product: "Demo Image Edit",
    field: "Source image",
    message: /Source image needed/,
  },
  {
    // With a pasted key: console-session uploads wait on the server (see playground.spec.ts).
    code: "invalid_image",
    product: "Demo Image Edit",
    prepare: async (page, baseURL) => {
      await pasteKey(page, (await createKey(page, baseURL)).secret);
      await page.getByLabel("Source image").setInputFiles(NOT_AN_IMAGE);
    },
    path: "/uploads",
    field: "Source image",
    message: /Image could not be read/,
  },
];

test.describe("job errors as field errors", () => {
  test.use({ storageState: storageStateOf("demo") });

  for (const c of FIELD_CASES) {
    // @code:invalid_request @code:invalid_product @code:source_image_required @code:invalid_image
    test(`${c.code} → the message on ${c.field}`, async ({ page, baseURL }) => {
      expectErrors(new RegExp(`^400 POST /api/v1${c.path ?? "/jobs"} `));
      await openPlayground(page, c.product, c.search);
      await page.getByLabel("Prompt").fill(c.prompt ?? "a lighthouse at dawn");
      await c.prepare?.(page, baseURL!);
      const response = await generate(page, c.path);
      expect(response.status()).toBe(400);
      await expectFieldError(page, c.field, c.message);
      await expectRequestIdShown(page, response);
    });
  }
});

test.describe("as the Other account (0 credits)", () => {
  test.use({ storageState: storageStateOf("other") });

  // @code:insufficient_balance
  test("insufficient_balance → the dialog Top up credits, and the id stays behind it", async ({ page }) => {
    expectErrors(/^402 POST \/api\/v1\/jobs /);
    await openPlayground(page, "Demo Text to Image");
    await page.getByLabel("Prompt").fill("a cat in a hat");
    const response = await generate(page);
    expect(response.status()).toBe(402);
    const dialog = page.getByRole("dialog", { name: "Top up credits" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByText("Shortfall")).toBeVisible();
    // Nothing is bought here: the Other account stays at 0 credits for everyone's tests.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Not enough credits" })).toBeVisible();
    await expectRequestIdShown(page, response);
  });
});

test.describe("as the demo account", () => {
  test.use({ storageState: storageStateOf("demo") });

  // @code:product_paused
  test("product_paused → the product is marked before, and the paused banner after", async ({ page }) => {
    expectErrors(/^409 POST \/api\/v1\/jobs /);
    await openPlayground(page, "Legacy Upscaler");
    await expect(page.getByRole("alert").filter({ hasText: "Legacy Upscaler is paused" })).toBeVisible();
    await page.getByLabel("Prompt").fill("sharper please");
    const response = await generate(page);
    expect(response.status()).toBe(409);
    const banner = page.getByRole("alert").filter({ hasText: "Legacy Upscaler is paused" });
    await expect(banner).toHaveText(/Choose another product, or try again later/);
    await expectRequestIdShown(page, response);
  });

  // @code:account_disabled
  test("account_disabled (a paused key) → the paused banner names the key", async ({ page, baseURL }) => {
    expectErrors(/^403 POST \/api\/v1\/jobs /);
    const key = await createKey(page, baseURL!);
    const paused = await page.request.patch(`/api/v1/keys/${key.id}`, {
      data: { status: "paused" },
      headers: consoleHeaders(baseURL!),
    });
    expect(paused.status()).toBe(200);
    await openPlayground(page, "Demo Text to Image");
    await page.getByLabel("Prompt").fill("a paused key");
    await pasteKey(page, key.secret);
    const response = await generate(page);
    expect(response.status()).toBe(403);
    await expect(page.getByRole("alert").filter({ hasText: "This API key is paused" })).toBeVisible();
    await expectRequestIdShown(page, response);
  });

  // @code:authentication_failed
  test("authentication_failed with a pasted key → an error on the Key field, not a sign-in", async ({
    page,
  }) => {
    expectErrors(/^401 POST \/api\/v1\/jobs /);
    await openPlayground(page, "Demo Text to Image");
    await page.getByLabel("Prompt").fill("a key that does not exist");
    await pasteKey(page, `sk_live_${"x".repeat(38)}`);
    const response = await generate(page);
    expect(response.status()).toBe(401);
    await expectFieldError(page, "Key secret", /This key was not accepted/);
    await expectRequestIdShown(page, response);
    await expect(page).toHaveURL(/\/playground/);
  });

  // @code:origin_not_allowed
  test("origin_not_allowed → the denial explainer; Allow adds the origin and the key works", async ({
    page,
    baseURL,
  }) => {
    expectErrors(/^403 POST \/api\/v1\/jobs /);
    const origin = new URL(baseURL!).origin;
    const key = await createKey(page, baseURL!, { allowed_origins: ["https://shop.example.com"] });
    await openPlayground(page, "Demo Text to Image");
    await page.getByLabel("Prompt").fill("from the wrong site");
    await pasteKey(page, key.secret);
    const response = await generate(page);
    expect(response.status()).toBe(403);
    const denial = page.getByRole("alert").filter({ hasText: "Origin not allowed" });
    await expect(denial).toContainText(origin);
    await expectRequestIdShown(page, response);
    await denial.getByRole("button", { name: "Allow" }).click();
    await expect(denial).toBeHidden();
    const allowed = await (await page.request.get(`/api/v1/keys/${key.id}`)).json();
    expect(allowed.allowed_origins).toContain(origin);

    const again = await generate(page);
    expect(again.status()).toBe(201);
    await expect(page.getByTestId("job-live-card").getByTestId("job-status")).toHaveText("Succeeded", {
      timeout: 30_000,
    });
  });

  // @code:ip_not_allowed
  test("ip_not_allowed → the denial explainer with the observed IP and Allow", async ({ page, baseURL }) => {
    expectErrors(/^403 POST \/api\/v1\/jobs /);
    const key = await createKey(page, baseURL!, { allowed_ips: ["203.0.113.0/24"] });
    await openPlayground(page, "Demo Text to Image");
    await page.getByLabel("Prompt").fill("from the wrong network");
    await pasteKey(page, key.secret);
    const response = await generate(page);
    expect(response.status()).toBe(403);
    const { error } = await response.json();
    const denial = page.getByRole("alert").filter({ hasText: "IP address not allowed" });
    await expect(denial).toContainText(error.details.ip);
    await expect(denial.getByRole("button", { name: "Allow" })).toBeEnabled();
    await expectRequestIdShown(page, response);
  });

  // @code:service_unavailable
  test("service_unavailable → the degraded banner counts down and retries by itself", async ({ page }) => {
    expectErrors(/^502 POST \/api\/v1\/jobs /);
    await openPlayground(page, "Demo Text to Image");
    await page.getByLabel("Prompt").fill("the backend is down !unavailable");
    const first = await generate(page);
    expect(first.status()).toBe(502);
    await expect(page.getByRole("status").filter({ hasText: /^Retrying in \d+ s$/ })).toBeVisible();
    await expectRequestIdShown(page, first);
    // It sends the same request again by itself (same Idempotency-Key), and shows that answer's id.
    const retried = await page.waitForResponse(
      (r) => r.url().endsWith("/api/v1/jobs") && r.request().method() === "POST",
    );
    expect(retried.request().headers()["idempotency-key"]).toBe(first.request().headers()["idempotency-key"]);
    await expectRequestIdShown(page, retried);
  });

  // @code:idempotency_conflict
  test("idempotency_conflict → an explanation, and a new key fixes it", async ({ page }) => {
    expectErrors(/^409 POST \/api\/v1\/jobs /);
    const idemKey = `e2e-conflict-${Date.now()}`;
    await openPlayground(page, "Demo Text to Image");
    await openOptions(page);
    await page.getByLabel("Prompt").fill("first body");
    await page.getByRole("textbox", { name: "Idempotency-Key" }).fill(idemKey);
    expect((await generate(page)).status()).toBe(201);

    await page.getByLabel("Prompt").fill("a different body");
    await page.getByRole("textbox", { name: "Idempotency-Key" }).fill(idemKey);
    const response = await generate(page);
    expect(response.status()).toBe(409);
    const explanation = page.getByRole("alert").filter({ hasText: "Idempotency-Key already used" });
    await expect(explanation).toContainText("nothing was created or charged");
    await expectRequestIdShown(page, response);
    await explanation.getByRole("button", { name: "Use a new key" }).click();
    await expect(page.getByRole("textbox", { name: "Idempotency-Key" })).not.toHaveValue(idemKey);
    expect((await generate(page)).status()).toBe(201);
  });

  // @code:generation_failed
  test("generation_failed → status Failed, a Refunded badge and Retry, in the playground and on the job page", async ({
    page,
  }) => {
    await openPlayground(page, "Demo Text to Image");
    await page.getByLabel("Prompt").fill("this one breaks !fail");
    const response = await generate(page);
    expect(response.status()).toBe(201);
    const card = page.getByTestId("job-live-card");
    await expect(card.getByTestId("job-status")).toHaveText("Failed", { timeout: 90_000 });
    await expect(card.getByText("Refunded", { exact: true })).toBeVisible();
    await expect(card.getByRole("button", { name: "Retry" })).toBeVisible();

    await card.getByRole("link", { name: "Open job page" }).click();
    await expect(page.getByTestId("job-status")).toHaveText("Failed");
    // The badge, not the money trail's "Refunded" row (which may have loaded too).
    await expect(page.locator('[data-slot="badge"]').filter({ hasText: /^Refunded$/ })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "Generation failed" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Retry" })).toBeVisible();
    const { request_id } = await response.json();
    await expect(page.getByTestId("request-id")).toHaveText(request_id);
    await expect(page.getByRole("link", { name: "Open in the request log" })).toHaveAttribute(
      "href",
      `/requests/${request_id}`,
    );
  });

  // @code:invalid_state
  test("invalid_state → a Retry that raced is explained inline, not a crash", async ({ page, baseURL }) => {
    expectErrors(/^409 POST \/api\/v1\/jobs\/job_\w+\/retry /);
    const job = await createJob(page.request, baseURL!, {
      product: "text-to-image",
      prompt: "race me !fail",
    });
    await waitForJob(page.request, job.id, ["failed"]);
    await page.goto(`/jobs/${job.id}`);
    await expect(page.getByTestId("job-status")).toHaveText("Failed");
    // Someone else retries it first (another tab, a program).
    const other = await page.request.post(`/api/v1/jobs/${job.id}/retry`, {
      data: {},
      headers: consoleHeaders(baseURL!),
    });
    expect(other.status()).toBe(200);
    const response = page.waitForResponse((r) => r.url().endsWith(`/jobs/${job.id}/retry`));
    await page.getByRole("button", { name: "Retry" }).click();
    expect((await response).status()).toBe(409);
    const notice = page.getByRole("alert").filter({ hasText: "Not possible right now" });
    await expect(notice).toContainText("this action works only when it is failed");
    await expectRequestIdShown(page, await response);
  });

  // @code:not_found
  test("not_found → the job page's own empty state with the id asked for", async ({ page }) => {
    expectErrors(/^404 GET \/api\/v1\/jobs\/job_does_not_exist /);
    await page.goto("/jobs/job_does_not_exist");
    await expect(page.getByRole("heading", { name: "Job not found" })).toBeVisible();
    await expect(page.getByText("job_does_not_exist")).toBeVisible();
  });
});
