/**
 * Lighthouse 12.2.3 (pinned: 13 needs Node 22) on every console page of the production build:
 * performance and accessibility scores, the lab metrics, and the JavaScript the page loaded, written to
 * bench/results/lighthouse.json. Signed in as the demo owner (support pages as the support account),
 * with a key, a job, a top-up and a request made first so the detail pages have something to show.
 *
 *   npm run build && npm run bench:lighthouse
 *
 * It starts `server.ts` (NODE_ENV=production, a fresh embedded database) on LIGHTHOUSE_PORT (3270), or
 * measures a running server at LIGHTHOUSE_URL (seeded with SEED_DEMO=1). Desktop settings by default
 * (the console is a desktop tool); LIGHTHOUSE_PRESET=mobile for Lighthouse's mobile defaults. Chromium
 * from CHROMIUM_PATH (/usr/bin/chromium), started with the flags of the e2e runs (e2e/support/chromium.ts).
 * Each page is measured LIGHTHOUSE_RUNS times (default 3) and reported by its median run, chosen by
 * Lighthouse's own `computeMedianRun` (the run nearest the median FCP and TTI), as Lighthouse advises.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { type RunnerResult } from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { computeMedianRun } from "lighthouse/core/lib/median-run.js";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../e2e/support/chromium";
import { chromium } from "@playwright/test";
import { consoleCall, jarCookies, signInCookie, consoleUnderTest, table, writeResult } from "./lib";

const PRESET = process.env.LIGHTHOUSE_PRESET === "mobile" ? "mobile" : "desktop";
const RUNS = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 3));
// LIGHTHOUSE_PAGES=Billing|Key — only the pages whose name matches (to look into one page's numbers).
const ONLY = process.env.LIGHTHOUSE_PAGES ? new RegExp(`^(${process.env.LIGHTHOUSE_PAGES})$`) : null;
// The flags of the e2e runs, headless.
const CHROME_FLAGS = ["--headless=new", ...CHROMIUM_FLAGS];

type Page = { page: string; path: string; as: "demo" | "support" | null };

type Result = Page & {
  performance: number | null;
  accessibility: number | null;
  fcp_ms: number | null;
  lcp_ms: number | null;
  tbt_ms: number | null;
  cls: number | null;
  speed_index_ms: number | null;
  script_kb: number | null;
  failed_a11y_audits: string[];
  /** Every run's performance score; the row is the median run. */
  performance_runs: (number | null)[];
  /** The three scripts with the most main-thread scripting time in the median run. */
  scripting_top: { script: string; ms: number }[];
};

/** A key, a top-up, a job and a request of the demo customer, for the detail pages. */
async function seed(base: string, demo: string) {
  const key = await consoleCall(base, demo, "POST", "/keys", { name: "Lighthouse key" });
  const topUp = await consoleCall(base, demo, "POST", "/top-ups", { pack: "pack_starter" });
  const job = await consoleCall(base, demo, "POST", "/jobs", {
    product: "text-to-image",
    prompt: "a lighthouse",
  });
  return {
    keyId: String(key.id),
    topUpId: String(topUp.id),
    jobId: String(job.id),
    requestId: job.requestId, // the job's creation: the richest request story
    customerId: "cus_demo", // the seeded customer of demo@example.com
  };
}

function pages(ids: Awaited<ReturnType<typeof seed>>): Page[] {
  return [
    { page: "Overview", path: "/", as: "demo" },
    { page: "Keys", path: "/keys", as: "demo" },
    { page: "Key", path: `/keys/${ids.keyId}`, as: "demo" },
    { page: "Billing", path: "/billing", as: "demo" },
    { page: "Top-up", path: `/billing/top-ups/${ids.topUpId}`, as: "demo" },
    { page: "Jobs", path: "/jobs", as: "demo" },
    { page: "Job", path: `/jobs/${ids.jobId}`, as: "demo" },
    { page: "Playground", path: "/playground", as: "demo" },
    { page: "Requests", path: "/requests", as: "demo" },
    { page: "Request", path: `/requests/${ids.requestId}`, as: "demo" },
    { page: "Support", path: "/support", as: "support" },
    { page: "Support: audit log", path: "/support/audit", as: "support" },
    { page: "Support: customer", path: `/support/customers/${ids.customerId}`, as: "support" },
    { page: "Support: request", path: `/support/requests/${ids.requestId}`, as: "support" },
    { page: "Sign in", path: "/sign-in", as: null },
    { page: "Sign up", path: "/sign-up", as: null },
  ];
}

const score = (s: number | null | undefined) => (typeof s === "number" ? Math.round(s * 100) : null);
const num = (v: unknown) => (typeof v === "number" ? Math.round(v) : null);

async function main() {
  const { base, tmp, stop } = await consoleUnderTest("LIGHTHOUSE", "3270");
  fs.mkdirSync(path.join(tmp, "chrome"));
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: CHROME_FLAGS,
    userDataDir: path.join(tmp, "chrome"),
  });
  const results: Result[] = [];
  let version = "";
  try {
    const cookies = {
      demo: await signInCookie(base, "demo@example.com", "demo-password-1"),
      support: await signInCookie(base, "support@example.com", "support-password-1"),
    };
    const ids = await seed(base, cookies.demo);
    // The session goes in Chrome's cookie jar (not Lighthouse's extraHeaders: a page's own cookie, the
    // console's `tz`, would replace that header), switched per account through the DevTools protocol.
    const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
    const jar = cdp.contexts()[0]!;
    let signedInAs: Page["as"] | undefined;
    for (const p of pages(ids).filter((page) => !ONLY || ONLY.test(page.page))) {
      if (p.as !== signedInAs) {
        await jar.clearCookies();
        if (p.as) await jar.addCookies(jarCookies(base, cookies[p.as]));
        signedInAs = p.as;
      }
      // One warm-up load (the server compiles nothing in production, but its caches and the
      // database's are cold), then the measured run.
      await fetch(base + p.path, { headers: p.as ? { cookie: cookies[p.as] } : {} }).catch(() => {});
      const runs: RunnerResult["lhr"][] = [];
      for (let run = 0; run < RUNS; run++) {
        const runnerResult = await lighthouse(
          base + p.path,
          {
            port: chrome.port,
            output: "json",
            logLevel: "error",
            onlyCategories: ["performance", "accessibility"],
            // Neither category scores these; they cost a page ~2 s (a full-page capture, and a
            // navigation away and back for the back/forward cache).
            disableFullPageScreenshot: true,
            skipAudits: ["bf-cache"],
          },
          PRESET === "desktop" ? desktopConfig : undefined,
        );
        if (!runnerResult) throw new Error(`no result for ${p.path}`);
        runs.push(runnerResult.lhr);
      }
      const lhr: RunnerResult["lhr"] = computeMedianRun(runs);
      const performanceRuns = runs.map((run) => score(run.categories.performance?.score));
      version = lhr.lighthouseVersion;
      if (lhr.finalDisplayedUrl.replace(base, "") !== p.path)
        throw new Error(`${p.path} ended on ${lhr.finalDisplayedUrl} (signed out?)`);
      const a = lhr.audits;
      const scripts = (
        a["resource-summary"]?.details as { items?: { resourceType: string; transferSize: number }[] }
      )?.items?.find((i) => i.resourceType === "script");
      const a11yAudits = lhr.categories.accessibility?.auditRefs ?? [];
      // Where the main thread's time went: the scripts that ran longest (Lighthouse's bootup-time).
      const bootup =
        (a["bootup-time"]?.details as { items?: { url: string; scripting: number }[] })?.items ?? [];
      results.push({
        ...p,
        performance: score(lhr.categories.performance?.score),
        accessibility: score(lhr.categories.accessibility?.score),
        fcp_ms: num(a["first-contentful-paint"]?.numericValue),
        lcp_ms: num(a["largest-contentful-paint"]?.numericValue),
        tbt_ms: num(a["total-blocking-time"]?.numericValue),
        cls: a["cumulative-layout-shift"]?.numericValue ?? null,
        speed_index_ms: num(a["speed-index"]?.numericValue),
        script_kb: scripts ? Math.round((scripts.transferSize / 1024) * 10) / 10 : null,
        failed_a11y_audits: a11yAudits
          .filter((ref) => ref.weight > 0 && a[ref.id]?.score === 0)
          .map((ref) => ref.id),
        performance_runs: performanceRuns,
        scripting_top: bootup
          .slice(0, 3)
          .map((i) => ({ script: i.url.replace(base, ""), ms: Math.round(i.scripting) })),
      });
      const r = results.at(-1)!;
      console.log(
        `${p.path}: performance ${r.performance} (runs ${performanceRuns.join(", ")}), accessibility ${r.accessibility}`,
      );
    }
  } finally {
    await chrome.kill();
    await stop();
  }

  console.log(
    `\nLighthouse ${version}, ${PRESET}, median of ${RUNS} (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})\n`,
  );
  console.log(
    table([
      [
        "page",
        "path",
        "perf",
        "perf runs",
        "a11y",
        "FCP ms",
        "LCP ms",
        "TBT ms",
        "CLS",
        "JS kB",
        "failed a11y audits",
      ],
      ...results.map((r) => [
        r.page,
        r.path,
        r.performance ?? "-",
        r.performance_runs.join(" "),
        r.accessibility ?? "-",
        r.fcp_ms ?? "-",
        r.lcp_ms ?? "-",
        r.tbt_ms ?? "-",
        r.cls === null ? "-" : r.cls.toFixed(3),
        r.script_kb ?? "-",
        r.failed_a11y_audits.join(" ") || "-",
      ]),
    ]),
  );
  writeResult("lighthouse", {
    lighthouse: version,
    preset: PRESET,
    runs: RUNS,
    load: os.loadavg()[0],
    chromium: CHROMIUM_PATH,
    pages: results,
  });
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
