/**
 * Time to data: from navigation start to the moment a console page's primary data is on screen, for
 * every console page of the production build, signed in (demo; support pages as the support account).
 * Two ways in: a direct load (a new tab on the URL) and a client-side navigation (a link clicked on
 * another console page). RUNS (TTD_RUNS, default 7) of each; p50 and p95 per page, written to
 * bench/results/time-to-data.json. Budget (issue 13): p95 ≤ 1,000 ms on this machine, both ways.
 * TTD_PAGES (a regex over the page names) measures only those: CI reports a sample.
 *
 *   npm run build && npm run bench:ttd
 *
 * It starts `server.ts` (NODE_ENV=production, a fresh embedded database) on TTD_PORT (3280), or measures
 * a running server at TTD_URL (seeded with SEED_DEMO=1). "Data on screen" is a text only the page's
 * data can put there (a key's name, a job's prompt, a ledger row), with no loading state left in <main>.
 */
import os from "node:os";
import { type Browser, chromium, type Page as PwPage } from "@playwright/test";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../e2e/support/chromium";
import {
  consoleCall,
  jarCookies,
  percentile,
  signInCookie,
  consoleUnderTest,
  table,
  writeResult,
} from "./lib";

const RUNS = Number(process.env.TTD_RUNS ?? 7);
// TTD_PAGES=Billing|Jobs — only the pages whose name matches (CI's sample; a look into one page).
const ONLY = process.env.TTD_PAGES ? new RegExp(`^(${process.env.TTD_PAGES})$`) : null;
const BUDGET_MS = 1_000;
/** How long a load may take to show its data before it counts as never (recorded as this). */
const TIMEOUT_MS = 30_000;

type Account = "demo" | "support";
type Target = { page: string; path: string; as: Account; ready: string; from: string };

async function seed(base: string, demo: string) {
  const key = await consoleCall(base, demo, "POST", "/keys", { name: "Time-to-data key" });
  const topUp = await consoleCall(base, demo, "POST", "/top-ups", { pack: "pack_starter" });
  const job = await consoleCall(base, demo, "POST", "/jobs", {
    product: "text-to-image",
    prompt: "a timed lighthouse",
  });
  return {
    keyId: String(key.id),
    topUpId: String(topUp.id),
    jobId: String(job.id),
    requestId: job.requestId,
  };
}

function targets(ids: Awaited<ReturnType<typeof seed>>): Target[] {
  const d = (page: string, p: string, ready: string, from = "/keys"): Target => ({
    page,
    path: p,
    as: "demo",
    ready,
    from,
  });
  const s = (page: string, p: string, ready: string): Target => ({
    page,
    path: p,
    as: "support",
    ready,
    from: "/support",
  });
  return [
    d("Overview", "/", "Demo Text to Image"),
    d("Keys", "/keys", "Time-to-data key", "/"),
    d("Key", `/keys/${ids.keyId}`, "Time-to-data key", "/keys"),
    d("Billing", "/billing", "Opening demo credits"),
    d("Top-up", `/billing/top-ups/${ids.topUpId}`, "pack_starter"),
    d("Jobs", "/jobs", "a timed lighthouse"),
    d("Job", `/jobs/${ids.jobId}`, "a timed lighthouse", "/jobs"),
    d("Playground", "/playground", "Demo Text to Image"),
    d("Requests", "/requests", "succeeded,"),
    d("Request", `/requests/${ids.requestId}`, ids.requestId, "/requests"),
    s("Support: audit log", "/support/audit", "support@example.com|No entries"),
    s("Support: customer", "/support/customers/cus_demo", "demo@example.com"),
    s("Support: request", `/support/requests/${ids.requestId}`, ids.requestId),
  ];
}

/** Milliseconds since this document's navigation start, once `text` is in <main> and nothing there loads. */
async function dataVisibleAt(page: PwPage, text: string): Promise<number> {
  const handle = await page.waitForFunction(
    (wanted) => {
      const main = document.querySelector("main");
      // `wanted` may list alternatives: "a|b" (a list's rows, or its empty state).
      if (!main || !wanted.split("|").some((w) => main.textContent?.includes(w))) return null;
      if (main.querySelector('[aria-busy="true"], [role="progressbar"]')) return null;
      return performance.now();
    },
    text,
    { polling: "raf", timeout: TIMEOUT_MS },
  );
  return (await handle.jsonValue()) as number;
}

async function direct(browser: Browser, base: string, cookie: string, t: Target): Promise<number> {
  const context = await browser.newContext({ baseURL: base });
  await context.addCookies(jarCookies(base, cookie));
  const page = await context.newPage();
  await page.goto(t.path, { waitUntil: "commit" });
  const ms = await dataVisibleAt(page, t.ready);
  await context.close();
  return ms;
}

async function clientSide(browser: Browser, base: string, cookie: string, t: Target): Promise<number> {
  const context = await browser.newContext({ baseURL: base });
  await context.addCookies(jarCookies(base, cookie));
  const page = await context.newPage();
  await page.goto(t.from);
  await page.waitForLoadState("networkidle");
  // A link to the target, as the navigation (or a row) would render it; added if the page has none.
  const start = await page.evaluate((href) => {
    const link = document.querySelector<HTMLAnchorElement>(`main a[href="${href}"], nav a[href="${href}"]`);
    if (!link) {
      // Next's router handles any same-origin <a> click through a Link; without one, push the route.
      const router = (window as unknown as { next?: { router?: { push(h: string): void } } }).next?.router;
      const t0 = performance.now();
      router?.push(href);
      return { t0, pushed: Boolean(router) };
    }
    const t0 = performance.now();
    link.click();
    return { t0, pushed: true };
  }, t.path);
  if (!start.pushed) throw new Error(`no way to navigate to ${t.path} from ${t.from}`);
  await page.waitForURL((url) => url.pathname === t.path.split("?")[0]);
  const end = await dataVisibleAt(page, t.ready);
  await context.close();
  return end - start.t0;
}

async function main() {
  const { base, stop } = await consoleUnderTest("TTD", "3280");
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  const rows: { page: string; path: string; direct: number[]; client: number[] }[] = [];
  try {
    const cookies = {
      demo: await signInCookie(base, "demo@example.com", "demo-password-1"),
      support: await signInCookie(base, "support@example.com", "support-password-1"),
    };
    const ids = await seed(base, cookies.demo);
    for (const t of targets(ids).filter((t) => !ONLY || ONLY.test(t.page))) {
      // One unmeasured load of each way warms the server's and the database's caches.
      await direct(browser, base, cookies[t.as], t).catch(() => {});
      await clientSide(browser, base, cookies[t.as], t).catch(() => {});
      const row = { page: t.page, path: t.path, direct: [] as number[], client: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        // A load whose data never shows counts as the wait's limit (and the table says so), not as a crash.
        row.direct.push(await direct(browser, base, cookies[t.as], t).catch(() => TIMEOUT_MS));
        row.client.push(await clientSide(browser, base, cookies[t.as], t).catch(() => TIMEOUT_MS));
      }
      rows.push(row);
      console.log(
        `${t.path}: direct p95 ${percentile(row.direct, 95)} ms, client-side p95 ${percentile(row.client, 95)} ms`,
      );
    }
  } finally {
    await browser.close();
    await stop();
  }
  const summary = rows.map((r) => ({
    page: r.page,
    path: r.path,
    direct_p50_ms: percentile(r.direct, 50),
    direct_p95_ms: percentile(r.direct, 95),
    client_p50_ms: percentile(r.client, 50),
    client_p95_ms: percentile(r.client, 95),
  }));
  console.log(
    `\nTime to data, ${RUNS} runs per page and way (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})\n`,
  );
  console.log(
    table([
      ["page", "direct p50", "direct p95", "client p50", "client p95", `≤ ${BUDGET_MS} ms`],
      ...summary.map((s) => [
        s.page,
        s.direct_p50_ms,
        s.direct_p95_ms,
        s.client_p50_ms,
        s.client_p95_ms,
        s.direct_p95_ms <= BUDGET_MS && s.client_p95_ms <= BUDGET_MS ? "yes" : "NO",
      ]),
    ]),
  );
  writeResult("time-to-data", {
    runs: RUNS,
    budget_ms: BUDGET_MS,
    load: os.loadavg()[0],
    ...(ONLY ? { only: process.env.TTD_PAGES } : {}),
    pages: summary,
  });
}

await main();
