import { type APIRequestContext, expect as baseExpect, type Page, type Response } from "@playwright/test";
import { deflateSync } from "node:zlib";
import { uniqueEmail } from "../support/accounts";

/** Jobs run on one shared worker and pages load under a busy e2e run: these specs wait a little longer. */
export const expect = baseExpect.configure({ timeout: 30_000 });

export type Account = { email: string; password: string };
export type Job = {
  id: string;
  status: string;
  prompt: string;
  product: string;
  refunded: boolean;
  key_id: string | null;
  request_id: string | null;
};

/** Headers of a console-session call that changes state (the CSRF rule: same Origin, JSON). */
export function consoleHeaders(baseURL: string) {
  return { origin: new URL(baseURL).origin, "content-type": "application/json" };
}

/**
 * A fresh customer (its own jobs, balance and rate-limit budget), topped up in test mode if asked. Signing
 * up signs `request`'s cookie jar in: with `page.request`, the page is then signed in as that account.
 */
export async function newAccount(
  request: APIRequestContext,
  baseURL: string,
  { pack }: { pack?: "pack_starter" | "pack_growth" } = {},
): Promise<Account> {
  const account = { email: uniqueEmail("jobs"), password: "a-long-password-1" };
  const res = await request.post("/api/auth/sign-up/email", {
    data: { ...account, name: "Jobs E2E" },
    headers: { origin: new URL(baseURL).origin },
  });
  expect(res.status(), await res.text()).toBe(200);
  if (pack) {
    const top = await request.post("/api/v1/top-ups", { data: { pack }, headers: consoleHeaders(baseURL) });
    expect(top.status(), await top.text()).toBe(201);
  }
  return account;
}

/** Creates a key with the page's session (its cookies), returning its id and its one-time secret. */
export async function createKey(
  page: Page,
  baseURL: string,
  body: { name?: string; allowed_origins?: string[]; allowed_ips?: string[] } = {},
): Promise<{ id: string; secret: string }> {
  const res = await page.request.post("/api/v1/keys", {
    data: { name: `e2e ${Date.now()}`, ...body },
    headers: consoleHeaders(baseURL),
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; secret: string };
}

export async function createJob(
  request: APIRequestContext,
  baseURL: string,
  body: { product: string; prompt: string },
  secret?: string,
): Promise<Job> {
  const res = await request.post("/api/v1/jobs", {
    data: body,
    headers: secret
      ? { authorization: `Bearer ${secret}`, "content-type": "application/json" }
      : consoleHeaders(baseURL),
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as Job;
}

export async function waitForJob(request: APIRequestContext, id: string, statuses: string[]): Promise<Job> {
  let job: Job | null = null;
  await expect
    .poll(
      async () => {
        job = (await (await request.get(`/api/v1/jobs/${id}`)).json()) as Job;
        return job.status;
      },
      { timeout: 45_000, intervals: [500] },
    )
    .toMatch(new RegExp(`^(${statuses.join("|")})$`));
  return job!;
}

/** The request id the server answered with is on screen, with its copy button. */
export async function expectRequestIdShown(page: Page, response: Response) {
  const id = response.headers()["x-request-id"];
  expect(id).toMatch(/^req_/);
  const shown = page.getByTestId("request-id").filter({ hasText: id! });
  await expect(shown).toBeVisible();
  await expect(shown.locator("xpath=..").getByRole("button", { name: "Copy request ID" })).toBeVisible();
  return id!;
}

/** Opens the playground and picks a product by its visible name. */
export async function openPlayground(page: Page, product?: string, search = "") {
  await page.goto(`/playground${search}`);
  // The product picker appears once the page is hydrated and the catalog loaded: only then type.
  await expect(page.getByRole("combobox", { name: "Product" })).toBeVisible({ timeout: 60_000 });
  if (product) await chooseProduct(page, product);
}

export async function chooseProduct(page: Page, product: string) {
  const picker = page.getByRole("combobox", { name: "Product" });
  // The browser's own <select>: its options are labelled "Name — price"; the one that starts with the name.
  const labels = await picker.locator("option").allTextContents();
  const label = labels.find((l) => l.startsWith(product));
  if (!label) throw new Error(`no product "${product}" among ${labels.join(", ")}`);
  // A browser fires no change for the option already chosen (Playwright's selectOption would).
  if ((await picker.locator("option:checked").textContent()) !== label) await picker.selectOption({ label });
}

/** Clicks Generate and returns the POST /jobs (or /uploads when it fails first) response. */
export async function generate(page: Page, path: "/jobs" | "/uploads" = "/jobs"): Promise<Response> {
  const response = page.waitForResponse(
    (r) => r.url().endsWith(`/api/v1${path}`) && r.request().method() === "POST",
  );
  await page.getByRole("button", { name: "Generate" }).click();
  return response;
}

export async function pasteKey(page: Page, secret: string) {
  await page.getByLabel("A key secret").check();
  await page.getByLabel("Key secret", { exact: true }).fill(secret);
}

export async function openOptions(page: Page) {
  const summary = page.getByText("Options", { exact: true });
  const details = summary.locator("xpath=..");
  if (!(await details.evaluate((el) => (el as HTMLDetailsElement).open))) await summary.click();
}

/** A field shows a server message: aria-invalid, and the message is what aria-describedby points at. */
export async function expectFieldError(page: Page, label: string, text: RegExp | string) {
  const field = page.getByLabel(label, { exact: true });
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toHaveAccessibleDescription(text);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A real, decodable PNG of one colour (for uploads), made here rather than shipped as a fixture. */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat()),
  ]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * Pauses the customer of `email` as support staff would (which ends its sessions), then signs
 * `request` in again as that customer: its console now gets account_disabled from every call.
 */
export async function pauseCustomer(
  playwright: { request: { newContext(o: { baseURL: string }): Promise<APIRequestContext> } },
  request: APIRequestContext,
  baseURL: string,
  account: Account,
) {
  const origin = new URL(baseURL).origin;
  const staff = await playwright.request.newContext({ baseURL });
  const signedIn = await staff.post("/api/auth/sign-in/email", {
    data: { email: "support@example.com", password: "support-password-1" },
    headers: { origin },
  });
  baseExpect(signedIn.status(), await signedIn.text()).toBe(200);
  const found = await staff.post("/api/v1/support/lookup", {
    data: { q: account.email },
    headers: { origin },
  });
  baseExpect(found.status(), await found.text()).toBe(200);
  const customerId = ((await found.json()) as { data: { customer_id: string }[] }).data[0]!.customer_id;
  const paused = await staff.post(`/api/v1/support/customers/${customerId}/pause`, {
    data: { reason: "Paused by an e2e test" },
    headers: { origin },
  });
  baseExpect(paused.status(), await paused.text()).toBe(200);
  await staff.dispose();
  const again = await request.post("/api/auth/sign-in/email", { data: account, headers: { origin } });
  baseExpect(again.status(), await again.text()).toBe(200);
}
