import { expectErrors, test } from "../support/test";
import { tcpProxy } from "../../tests/support/tcp-proxy";
import { DEMO, signInUi } from "../support/accounts";
import { expect, expectRequestIdShown, generate, openPlayground } from "../console/jobs-fixtures";

// rate_limiter_unavailable for real: this server's REDIS_URL is a proxy (E2E_REDIS_PROXY_PORT) to the
// run's Redis (E2E_REDIS_URL or REDIS_URL) that this spec opens and cuts, as if Redis stopped.
const target = new URL(process.env.E2E_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const PROXY_PORT = Number(process.env.E2E_REDIS_PROXY_PORT ?? 3104);

// @code:rate_limiter_unavailable
test("rate_limiter_unavailable → the degraded banner, which retries by itself once Redis is back", async ({
  page,
}) => {
  // The refused job. (The page is left before Redis is cut again at the end: see `finally`.)
  expectErrors(/^503 POST \/api\/v1\/jobs \(fetch\)$/);
  const proxy = tcpProxy(target, PROXY_PORT);
  await proxy.open();
  try {
    await expect
      .poll(async () => (await (await page.request.get("/api/v1/health")).json()).rate_limiter, {
        timeout: 20_000,
      })
      .toBe("ok");
    await signInUi(page, DEMO);
    await openPlayground(page, "Demo Text to Image");
    await page.getByLabel("Prompt").fill("while the limiter is down");

    await proxy.cut();
    const response = await generate(page);
    expect(response.status()).toBe(503);
    expect((await response.json()).error.code).toBe("rate_limiter_unavailable");
    await expect(page.getByRole("status").filter({ hasText: /^Retrying in \d+ s$/ })).toBeVisible();
    await expectRequestIdShown(page, response);

    await proxy.open();
    // Fail-closed meant nothing ran and nothing was charged; the countdown's own retry now goes through.
    const retried = await page.waitForResponse(
      (r) => r.url().endsWith("/api/v1/jobs") && r.request().method() === "POST" && r.status() === 201,
      { timeout: 30_000 },
    );
    expect(retried.request().headers()["idempotency-key"]).toBe(
      response.request().headers()["idempotency-key"],
    );
    await expect(page.getByTestId("job-live-card")).toBeVisible();
  } finally {
    // Leave the page first: its live card polls, and the 201 invalidated the balance, so a request
    // sent after the cut would be refused with a 503 that no part of this test provoked.
    await page.goto("about:blank");
    await proxy.cut();
  }
});
