import type { Locator, Page } from "@playwright/test";
import { expectErrors, test } from "../support/test";
import { SUPPORT, signInApi } from "../support/accounts";
import { axe } from "../support/axe";
import {
  chooseProduct,
  consoleHeaders,
  createJob,
  createKey,
  expect,
  generate,
  newAccount,
  pauseCustomer,
  waitForJob,
} from "./jobs-fixtures";

// axe (every rule it runs by default, best practices included) finds no violation on any console page,
// in the light theme and (its colour rules) in the dark one, including the error states pages render and
// the dialogs and menus they open. The theme follows the system until someone picks one, so the scheme is emulated.
test.describe.configure({ timeout: 600_000, mode: "parallel" });
// Each test makes its own account and data: they share the two workers instead of queueing on one.

const THEMES = ["light", "dark"] as const;
/**
 * The axe rules whose outcome depends on colour: all the dark theme changes. Scanning it with every
 * rule again took twice as long (/jobs: 1.8 s whole, 0.7 s for these; /billing 3.9 s and 1.4 s).
 */
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];
/** The keys page's first page (keyQueries.pages). */
const KEYS_PAGE_SIZE = 50;
type Theme = (typeof THEMES)[number];

/** A violation as one readable line per element (the full JSON is unreadable in a report). */
function summary(v: {
  id: string;
  impact?: string | null;
  nodes: { target: unknown; failureSummary?: string }[];
}) {
  return v.nodes.map((n) => `${v.id} (${v.impact}) ${JSON.stringify(n.target)}: ${n.failureSummary ?? ""}`);
}

async function scan(page: Page, label: string, theme: Theme, loading = false) {
  await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${theme}\\b`));
  // Nothing still loading (unless the loading state is what is scanned); nothing still animating in (an
  // overlay mid-fade has partial contrast) is axe()'s own wait.
  if (!loading) await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
  // The page is scanned whole in the light theme; in the dark one, in the same state and with the same
  // markup, only the rules that read colours can find anything new.
  const results = await (theme === "light" ? axe(page) : axe(page).withRules(COLOUR_RULES)).analyze();
  expect.soft(results.violations.flatMap(summary), `${label} (${theme})`).toEqual([]);
}

type Visit = {
  path: string;
  /** Shown once the page's data is on screen. */
  ready: (page: Page) => Locator;
  /** Something to open or do before the scan (a dialog, a failed submit). */
  then?: (page: Page) => Promise<void>;
  label?: string;
  /** A phone, for what only small screens show (the navigation menu). */
  phone?: boolean;
  /** The page is scanned while its data is still loading. */
  loading?: boolean;
};

/**
 * Each visit loaded once and scanned in both themes: light first, then the system scheme turns dark and
 * the page follows it live (the theme tracks the system until someone picks one), and is scanned again
 * in the same state (the dialog still open, the error still shown).
 */
async function visitAll(page: Page, visits: Visit[]) {
  for (const visit of visits) {
    await page.emulateMedia({ colorScheme: THEMES[0] });
    await page.setViewportSize(visit.phone ? { width: 390, height: 844 } : { width: 1280, height: 720 });
    await page.goto(visit.path);
    await expect(visit.ready(page).first()).toBeVisible();
    if (visit.then) await visit.then(page);
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await scan(page, visit.label ?? visit.path, theme, visit.loading);
    }
  }
}

const heading =
  (name: string | RegExp, options: { exact?: boolean } = {}) =>
  (page: Page) =>
    page.getByRole("heading", { name, ...options });

/** A customer with a key, a failed and a succeeded job and a top-up, for the pages that show them. */
async function customerWithData(page: Page, baseURL: string) {
  await newAccount(page.request, baseURL, { pack: "pack_starter" });
  const key = await createKey(page, baseURL, { name: "A11y key", allowed_origins: ["https://a11y.example"] });
  const failed = await createJob(page.request, baseURL, { product: "text-to-image", prompt: "a11y !fail" });
  const ok = await createJob(page.request, baseURL, { product: "text-to-image", prompt: "a11y" });
  await waitForJob(page.request, failed.id, ["failed"]);
  await waitForJob(page.request, ok.id, ["succeeded"]);
  const topUps = await page.request.post("/api/v1/top-ups", {
    data: { pack: "pack_growth" },
    headers: consoleHeaders(baseURL),
  });
  const topUp = (await topUps.json()) as { id: string };
  return { key, failed, ok, topUp };
}

/** A failed job, and one key more than the keys page shows at first (so it offers "Load more keys"). */
async function failedJobAndMoreKeysThanAPage(page: Page, baseURL: string) {
  const failed = await createJob(page.request, baseURL, { product: "text-to-image", prompt: "a11y !fail" });
  for (let i = 0; i <= KEYS_PAGE_SIZE; i++) await createKey(page, baseURL, { name: `A11y key ${i}` });
  return waitForJob(page.request, failed.id, ["failed"]);
}

test("customer pages", async ({ page, baseURL }) => {
  expectErrors(/^404 GET \/no-such-page \(document\)/);
  const { topUp } = await customerWithData(page, baseURL!);
  await visitAll(page, [
    { path: "/", ready: (p) => p.getByText("text-to-image") },
    { path: "/keys", ready: (p) => p.getByRole("link", { name: "A11y key" }) },
    { path: "/billing", ready: heading("Ledger") },
    { path: `/billing/top-ups/${topUp.id}`, ready: (p) => p.getByText(/^Added /) },
    { path: "/jobs", ready: (p) => p.getByRole("link", { name: "a11y !fail" }) },
    { path: "/playground", ready: (p) => p.getByRole("combobox", { name: "Product" }) },
    { path: "/requests", ready: (p) => p.getByRole("link", { name: /^Request req_/ }) },
    { path: "/audit", ready: (p) => p.getByRole("row").filter({ hasText: "Created a key" }) },
    { path: "/no-such-page", label: "not found", ready: heading("Page not found") },
  ]);
});

test("customer detail pages", async ({ page, baseURL }) => {
  const { key, failed, ok } = await customerWithData(page, baseURL!);
  await visitAll(page, [
    { path: `/keys/${key.id}`, ready: heading("Allowlists") },
    {
      path: `/keys/${key.id}`,
      label: "key page, origin denial explained",
      ready: heading("Allowlists"),
      then: async (p) => {
        await p.getByLabel("Origin", { exact: true }).fill("https://elsewhere.example");
        await p.getByRole("button", { name: "Check" }).click();
        await expect(p.getByRole("alert").filter({ hasText: "Origin not allowed" })).toBeVisible();
      },
    },
    { path: `/jobs/${ok.id}`, ready: (p) => p.getByTestId("job-status").filter({ hasText: "Succeeded" }) },
    { path: `/jobs/${failed.id}`, ready: (p) => p.getByTestId("job-status").filter({ hasText: "Failed" }) },
    { path: `/requests/${ok.request_id}`, ready: heading("Request", { exact: true }) },
  ]);
});

test("dialogs and menus", async ({ page, baseURL }) => {
  const { key } = await customerWithData(page, baseURL!);
  await visitAll(page, [
    {
      path: "/keys",
      label: "/keys, create dialog",
      ready: (p) => p.getByRole("link", { name: "A11y key" }),
      then: async (p) => {
        await p.getByRole("button", { name: "Create key" }).first().click();
        await expect(p.getByRole("dialog", { name: "Create API key" })).toBeVisible();
      },
    },
    {
      path: `/keys/${key.id}`,
      label: "key page, revoke confirmation",
      ready: heading("Allowlists"),
      then: async (p) => {
        await p.getByRole("button", { name: "Revoke key" }).click();
        await expect(p.getByRole("alertdialog")).toBeVisible();
      },
    },
    {
      path: "/",
      label: "navigation menu on a phone",
      phone: true,
      ready: (p) => p.getByText("text-to-image"),
      then: async (p) => {
        await p.getByRole("button", { name: "Open navigation" }).click();
        await expect(p.getByRole("menuitem", { name: "Keys" })).toBeVisible();
      },
    },
    {
      path: "/",
      label: "account menu",
      ready: (p) => p.getByText("text-to-image"),
      then: async (p) => {
        await p.getByRole("button", { name: "Account menu" }).click();
        await expect(p.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
      },
    },
  ]);
});

test("support pages", async ({ page, baseURL }) => {
  expectErrors(/^404 GET \/api\/v1\/support\/customers\/cus_01Z{24} /);
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const job = await createJob(page.request, baseURL!, { product: "text-to-image", prompt: "a11y support" });
  await waitForJob(page.request, job.id, ["succeeded"]);
  const customerId = (
    (await (await page.request.get("/api/v1/requests?limit=1")).json()) as { data: { customer_id: string }[] }
  ).data[0]!.customer_id;
  await page.context().clearCookies();
  await signInApi(page.request, baseURL!, SUPPORT);

  await visitAll(page, [
    { path: "/support", ready: heading("Support") },
    { path: `/support?q=${job.request_id}`, ready: heading("Request story") },
    { path: "/support/audit", ready: heading(/Audit log/) },
    { path: `/support/customers/${customerId}`, ready: (p) => p.getByText(customerId).first() },
    { path: `/support/requests/${job.request_id}`, ready: heading("Request story") },
    {
      path: "/support/customers/cus_01ZZZZZZZZZZZZZZZZZZZZZZZZ",
      label: "support, customer not found",
      ready: (p) => p.getByText("No customer with this ID"),
    },
  ]);
});

test("signed-out pages: sign in, its error, sign up", async ({ page }) => {
  expectErrors(/^401 POST \/api\/auth\/sign-in\/email /);
  await visitAll(page, [
    { path: "/sign-in", ready: heading("Sign in") },
    {
      path: "/sign-in",
      label: "sign-in, wrong password",
      ready: heading("Sign in"),
      then: async (p) => {
        await p.getByLabel("Email").fill("nobody@example.com");
        await p.getByLabel("Password").fill("not-the-password");
        await p.getByRole("button", { name: "Sign in" }).click();
        await expect(p.getByRole("alert")).toBeVisible();
      },
    },
    { path: "/sign-up", ready: heading("Create your account") },
  ]);
});

/**
 * Answers the browser's calls under `prefix` (GETs, or `methods`) with this catalog error (a state the
 * real server is rarely in).
 */
async function failApi(
  page: Page,
  prefix: string,
  status: number,
  code: string,
  { methods = ["GET"], extra = {} }: { methods?: string[]; extra?: object } = {},
) {
  expectErrors(new RegExp(`^${status} (${methods.join("|")}) /api/v1${prefix}\\b`));
  await page.route(
    (url) => url.pathname.startsWith(`/api/v1${prefix}`),
    (route) =>
      methods.includes(route.request().method())
        ? route.fulfill({
            status,
            headers: { "x-request-id": "req_01A11YA11YA11YA11YA11YA11Y", "retry-after": "120" },
            json: {
              error: {
                code,
                message: `A11y: ${code}`,
                request_id: "req_01A11YA11YA11YA11YA11YA11Y",
                ...extra,
              },
            },
          })
        : route.continue(),
  );
}

// The error states are four tests, not one: each stays well inside the timeout on a loaded CI machine,
// and the two workers share them.
test("error states: no credits, invalid entries, not-found pages", async ({ page, baseURL }) => {
  expectErrors(
    /^402 POST \/api\/v1\/jobs /,
    /^400 POST \/api\/v1\/keys /,
    /^404 GET \/api\/v1\/[a-z-]+\/[a-z]+_01Z{24} /,
  );
  // An account with no credits: the low-balance banner is on every page, and Generate asks for a top-up.
  await newAccount(page.request, baseURL!);
  await visitAll(page, [
    { path: "/", label: "low-balance banner", ready: (p) => p.getByRole("region", { name: "Low balance" }) },
    {
      path: "/playground",
      label: "playground, not enough credits",
      ready: (p) => p.getByRole("combobox", { name: "Product" }),
      then: async (p) => {
        await chooseProduct(p, "Demo Text to Image");
        await p.getByLabel("Prompt").fill("a11y without credits");
        const response = await generate(p);
        expect(response.status()).toBe(402);
        await expect(p.getByRole("dialog", { name: "Top up credits" })).toBeVisible();
      },
    },
    {
      path: "/playground",
      label: "playground, not enough credits, after the dialog",
      ready: (p) => p.getByRole("combobox", { name: "Product" }),
      then: async (p) => {
        await chooseProduct(p, "Demo Text to Image");
        await p.getByLabel("Prompt").fill("a11y without credits");
        await generate(p);
        await p
          .getByRole("dialog", { name: "Top up credits" })
          .getByRole("button", { name: "Cancel" })
          .click();
        await expect(p.getByRole("alert").filter({ hasText: "Not enough credits" })).toBeVisible();
      },
    },
    {
      path: "/keys",
      label: "create key, invalid entries",
      ready: heading("API keys"),
      then: async (p) => {
        await expect(p.getByLabel("Loading keys")).toHaveCount(0);
        await p.getByRole("button", { name: "Create key" }).first().click();
        const dialog = p.getByRole("dialog", { name: "Create API key" });
        await dialog.getByLabel("Name").fill("a11y invalid");
        await dialog.getByLabel("New allowed IP").fill("0.0.0.0/0");
        await dialog.getByRole("button", { name: "Add IP" }).click();
        await dialog.getByRole("button", { name: "Create key" }).click();
        await expect(dialog.getByLabel("Allowed IP 1")).toHaveAttribute("aria-invalid", "true");
      },
    },
    { path: "/keys/key_01ZZZZZZZZZZZZZZZZZZZZZZZZ", label: "key not found", ready: heading("Key not found") },
    { path: "/jobs/job_01ZZZZZZZZZZZZZZZZZZZZZZZZ", label: "job not found", ready: heading("Job not found") },
    {
      path: "/requests/req_01ZZZZZZZZZZZZZZZZZZZZZZZZ",
      label: "request not found",
      ready: (p) => p.getByText("No request with this ID"),
    },
    {
      path: "/billing/top-ups/top_01ZZZZZZZZZZZZZZZZZZZZZZZZ",
      label: "top-up not found",
      ready: heading("No such top-up"),
    },
  ]);
});

test("error states: the generic error and the retry countdown", async ({ page, baseURL }) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const failed = await failedJobAndMoreKeysThanAPage(page, baseURL!);
  // The generic error state (its red tint) and the retry countdown, from answers the server rarely gives.
  // Every page comes with its first data (fetched on the server), so the failure is that of the
  // browser's next read: the next page of keys, a filter changed, a retry.
  await failApi(page, "/keys", 500, "internal_error");
  await failApi(page, "/jobs", 503, "service_unavailable", { methods: ["GET", "POST"] });
  await visitAll(page, [
    {
      path: "/keys",
      label: "keys, internal error",
      ready: heading("API keys"),
      then: async (p) => {
        await p.getByRole("button", { name: "Load more keys" }).click();
        await expect(p.getByText("Something went wrong on our side")).toBeVisible();
      },
    },
    {
      path: "/jobs",
      label: "jobs, service unavailable",
      ready: heading("Jobs", { exact: true }),
      then: async (p) => {
        await p.getByLabel("From (UTC)").fill("2026-01-01");
        await expect(p.getByText("Service unavailable").first()).toBeVisible();
      },
    },
    {
      path: `/jobs/${failed.id}`,
      label: "job page, service unavailable",
      ready: (p) => p.getByTestId("job-status").filter({ hasText: "Failed" }),
      then: async (p) => {
        await p.getByRole("button", { name: "Retry" }).click();
        await expect(p.getByText("Service unavailable").first()).toBeVisible();
      },
    },
  ]);
});

test("loading states", async ({ page, baseURL }) => {
  await newAccount(page.request, baseURL!, { pack: "pack_starter" });
  const failed = await failedJobAndMoreKeysThanAPage(page, baseURL!);
  const key = await createKey(page, baseURL!, { name: "A11y loading key" });
  // Loading states: the API never answers the browser. Every page comes with its first data (fetched on
  // the server), so a page's loading state is that of the browser's next read: a filter changed, the
  // next page, a check or an action in flight.
  await page.route(
    (url) => url.pathname.startsWith("/api/v1/"),
    () => {},
  );
  const busy = async (button: Locator) => {
    await button.click();
    await expect(button).toBeDisabled();
  };
  await visitAll(page, [
    {
      path: "/keys",
      label: "/keys, loading more",
      loading: true,
      ready: heading("API keys"),
      then: (p) => busy(p.getByRole("button", { name: "Load more keys" })),
    },
    {
      path: "/jobs",
      label: "/jobs, loading",
      loading: true,
      ready: heading("Jobs", { exact: true }),
      then: async (p) => {
        await p.getByLabel("From (UTC)").fill("2026-01-01");
        await expect(p.getByRole("progressbar", { name: "Loading jobs" })).toBeVisible();
      },
    },
    {
      path: "/requests",
      label: "/requests, loading",
      loading: true,
      ready: heading("Requests", { exact: true }),
      then: async (p) => {
        await p.getByRole("combobox", { name: "Time range" }).selectOption({ label: "Last hour" });
        await expect(p.getByRole("progressbar", { name: "Loading requests" })).toBeVisible();
      },
    },
    {
      path: `/keys/${key.id}`,
      label: "key page, checking",
      loading: true,
      ready: heading("Allowlists"),
      then: (p) => busy(p.getByRole("button", { name: "Check" })),
    },
    {
      path: `/jobs/${failed.id}`,
      label: "job page, retrying",
      loading: true,
      ready: (p) => p.getByTestId("job-status").filter({ hasText: "Failed" }),
      then: (p) => busy(p.getByRole("button", { name: "Retry" })),
    },
  ]);
});

test("error states: a paused account", async ({ page, baseURL, playwright }) => {
  // account_disabled from every call of the console.
  expectErrors(/^403 GET \/api\/v1\//);
  const account = await newAccount(page.request, baseURL!);
  // A customer paused by support: the banner on every page, and quiet cards where data would be.
  await pauseCustomer(playwright, page.request, baseURL!, account);
  await visitAll(page, [
    {
      path: "/",
      label: "paused account, overview",
      ready: (p) => p.getByRole("alert").filter({ hasText: "Your account is paused." }),
    },
    {
      path: "/billing",
      label: "paused account, billing",
      ready: (p) => p.getByRole("alert").filter({ hasText: "Your account is paused." }),
    },
  ]);
});
