import { expect, test } from "../support/test";
import { consoleHeaders, createKey, generate, newAccount, openPlayground, pasteKey } from "./jobs-fixtures";

// Sign-up, a few API calls, the playground, the key page: room on a busy CI machine.
test.describe.configure({ timeout: 150_000 });

// The second generation is refused by the key's monthly limit: that 402 is the point of the test.
test.use({ expectedErrors: [/^402 POST \/api\/v1\/jobs /] });

test("a key over its monthly credit limit shows its own state, links to the key's limit, and raising it lets jobs through", async ({
  page,
  baseURL,
}) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const key = await createKey(page, baseURL!, { name: "Limited key" });
  const set = await page.request.patch(`/api/v1/keys/${key.id}`, {
    data: { monthly_credit_limit: 10 },
    headers: consoleHeaders(baseURL!),
  });
  expect(set.status(), await set.text()).toBe(200);

  // One job (10 credits) takes the key to its limit; the next is refused by the key's limit.
  await openPlayground(page, "Demo Text to Image");
  await pasteKey(page, key.secret);
  await page.getByLabel("Prompt").fill("a lighthouse at dusk");
  expect((await generate(page)).status()).toBe(201);
  await page.getByLabel("Prompt").fill("a second lighthouse");
  const refused = await generate(page);
  expect(refused.status()).toBe(402);
  const body = await refused.json();
  expect(body.error.details).toMatchObject({ reason: "spend_limit", limit: "key", key_id: key.id });

  const state = page.getByRole("alert", { name: "Key spend limit reached" });
  await expect(state).toContainText("This key's monthly spend limit is reached");
  await expect(state).toContainText(
    "This key's monthly credit limit is 10 credits, and 10 credits are spent",
  );
  await expect(state).toContainText(body.error.request_id);
  await expect(state.getByRole("button", { name: "Copy request ID" })).toBeVisible();
  // Not a balance problem: no top-up dialog.
  await expect(page.getByRole("dialog", { name: "Top up credits" })).toHaveCount(0);
  // The shell names the key at 100% of its limit.
  await expect(page.getByRole("status", { name: "Spend limit alerts" })).toContainText(
    "Key “Limited key” reached its monthly spend limit",
  );

  // The link leads to the key's limit, which shows the month's spend against it.
  await state.getByRole("link", { name: "Raise this key's limit" }).click();
  await expect(page).toHaveURL(new RegExp(`/keys/${key.id}#spend-limit$`));
  const card = page.locator("#spend-limit");
  await expect(card.getByRole("meter")).toHaveAttribute(
    "aria-valuetext",
    "10 credits of 10 credits limit (100%)",
  );
  await expect(card).toContainText("Limit reached");
  await expect(card).toContainText("100% of the monthly limit used");

  // Raised: the meter and the shell follow, and the key's next job goes through.
  await card.getByLabel("Monthly credit limit (credits)").fill("30");
  await card.getByRole("button", { name: "Save limit" }).click();
  await expect(page.getByText("Key spend limit saved")).toBeVisible();
  await expect(card.getByRole("meter")).toHaveAttribute(
    "aria-valuetext",
    "10 credits of 30 credits limit (33%)",
  );
  await expect(page.getByRole("status", { name: "Spend limit alerts" })).toHaveCount(0);
  const again = await page.request.post("/api/v1/jobs", {
    data: { product: "text-to-image", prompt: "after the raise" },
    headers: { authorization: `Bearer ${key.secret}` },
  });
  expect(again.status(), await again.text()).toBe(201);
});
