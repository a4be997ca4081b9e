import { Webhook } from "standardwebhooks";
import { expect, test } from "../support/test";
import { storageStateOf } from "../support/accounts";
import { axe } from "../support/axe";
import { startReceiver } from "../support/webhook-receiver";

// The Webhooks page end to end: add an endpoint pointing at a node:http receiver on this machine, keep
// the secret shown once, send a test event, see the attempt in the log, resend it, delete the endpoint.
test.describe.configure({ timeout: 180_000 });
test.use({ storageState: storageStateOf("demo") });

test("add an endpoint, send a test event to a local receiver, read the attempt, resend, delete", async ({
  page,
}) => {
  const receiver = await startReceiver();
  try {
    await page.goto("/webhooks");
    await expect(page.getByRole("heading", { name: "Webhooks", exact: true })).toBeVisible();
    await expect(page.getByLabel("Loading webhook endpoints")).toHaveCount(0);

    await page.getByRole("button", { name: "Add endpoint", exact: true }).click();
    const form = page.getByRole("dialog", { name: "Add webhook endpoint" });
    await form.getByLabel("Endpoint URL").fill(receiver.url);
    await form.getByLabel("Description (optional)").fill("e2e receiver");
    await form.getByRole("button", { name: "Add endpoint" }).click();

    const reveal = page.getByRole("dialog", { name: "Endpoint added: its signing secret" });
    const secret = (await reveal.getByLabel("Signing secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await reveal.getByRole("button", { name: "Done" }).click();
    await expect(reveal).toBeHidden();

    const endpoint = page.getByRole("listitem", { name: "Endpoint e2e receiver" });
    await expect(endpoint).toContainText(receiver.url);
    await expect(endpoint).toContainText(secret.slice(0, 10));
    await expect(page.getByText(secret)).toHaveCount(0); // shown once, never again

    await endpoint.getByRole("button", { name: "Send test event to e2e receiver" }).click();
    const log = page.getByRole("table", { name: "Webhook deliveries, newest first" });
    const row = log.getByRole("row").filter({ hasText: "webhook.test" });
    await expect(row.getByText("Delivered")).toBeVisible();
    expect(receiver.received).toHaveLength(1);
    const event = new Webhook(secret).verify(receiver.received[0]!.body, receiver.received[0]!.headers) as {
      id: string;
      type: string;
    };
    expect(event.type).toBe("webhook.test");

    await row.getByRole("button", { name: /^Attempts of webhook.test delivery/ }).click();
    const detail = page.getByRole("dialog", { name: /Delivery/ });
    const attempt = detail.getByRole("listitem", { name: "Attempt 1" });
    await expect(attempt).toContainText("HTTP 200");
    await attempt.getByText("Response").click();
    await expect(attempt).toContainText("thanks");
    await detail.getByRole("button", { name: "Resend" }).click();
    await expect.poll(() => receiver.received.length).toBe(2);
    expect(receiver.received[1]!.headers["webhook-id"]).toBe(event.id);
    await page.keyboard.press("Escape");
    await expect(log.getByRole("row").filter({ hasText: "webhook.test" })).toHaveCount(2);

    const results = await axe(page).analyze();
    expect(results.violations).toEqual([]);

    await endpoint.getByRole("button", { name: "Delete e2e receiver" }).click();
    await page
      .getByRole("alertdialog", { name: "Delete this endpoint?" })
      .getByRole("button", { name: "Delete endpoint" })
      .click();
    await expect(page.getByRole("listitem", { name: "Endpoint e2e receiver" })).toHaveCount(0);
  } finally {
    await receiver.stop();
  }
});
