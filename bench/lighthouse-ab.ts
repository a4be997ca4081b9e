/**
 * Lighthouse A/B: the same pages on two running consoles (two builds), runs interleaved A B B A A B …
 * so both see the same machine load. Prints each run and the medians of performance and TBT.
 *
 *   LH_A=http://localhost:3430 LH_B=http://localhost:3431 LH_PATHS=/billing,/keys/:key LH_ROUNDS=3 \
 *     tsx bench/lighthouse-ab.ts
 *
 * LH_DETAIL=1 lists each long task with its start and the script Lighthouse attributes it to.
 *
 * Each console is started with SEED_DEMO=1; `:key` is a key this script creates on it.
 */
import os from "node:os";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { chromium } from "@playwright/test";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../e2e/support/chromium";
import { consoleCall, jarCookies, signInCookie } from "./lib";

const bases = { A: process.env.LH_A!, B: process.env.LH_B! };
const paths = (process.env.LH_PATHS ?? "/billing,/keys/:key").split(",");
const ROUNDS = Number(process.env.LH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: ["--headless=new", ...CHROMIUM_FLAGS],
  });
  const cdp = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
  const jar = cdp.contexts()[0]!;
  const setup = {} as Record<"A" | "B", { cookie: string; key: string }>;
  for (const v of ["A", "B"] as const) {
    const cookie = await signInCookie(bases[v], "demo@example.com", "demo-password-1");
    const key = String((await consoleCall(bases[v], cookie, "POST", "/keys", { name: "AB key" })).id);
    // Some usage and a ledger movement, as the Lighthouse bench seeds.
    await consoleCall(bases[v], cookie, "POST", "/top-ups", { pack: "pack_starter" });
    await consoleCall(bases[v], cookie, "POST", "/jobs", {
      product: "text-to-image",
      prompt: "a lighthouse",
    });
    setup[v] = { cookie, key };
  }
  const results: Record<string, { perf: number[]; tbt: number[] }> = {};
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (["A", "B"] as const) : (["B", "A"] as const);
      for (const p0 of paths) {
        for (const v of order) {
          const url = bases[v] + p0.replace(":key", setup[v].key);
          await jar.clearCookies();
          await jar.addCookies(jarCookies(bases[v], setup[v].cookie));
          await fetch(url, { headers: { cookie: setup[v].cookie } });
          const load = os.loadavg()[0]!.toFixed(1);
          const r = await lighthouse(
            url,
            {
              port: chrome.port,
              output: "json",
              logLevel: "error",
              onlyCategories: ["performance"],
              disableFullPageScreenshot: true,
              skipAudits: ["bf-cache"],
            },
            desktopConfig,
          );
          const lhr = r!.lhr;
          const perf = Math.round((lhr.categories.performance?.score ?? 0) * 100);
          const tbt = Math.round(lhr.audits["total-blocking-time"]?.numericValue ?? 0);
          const long = (
            (
              lhr.audits["long-tasks"]?.details as {
                items?: { url: string; duration: number; startTime: number }[];
              }
            )?.items ?? []
          )
            // LH_DETAIL=1: each task's start (ms after navigation) and the script it is attributed to.
            .map((t) =>
              process.env.LH_DETAIL
                ? `${Math.round(t.duration)}@${Math.round(t.startTime)} ${t.url.split("/").pop()}`
                : `${Math.round(t.duration)}`,
            )
            .join(" ");
          const k = `${p0} ${v}`;
          (results[k] ??= { perf: [], tbt: [] }).perf.push(perf);
          results[k].tbt.push(tbt);
          console.log(
            `round ${round + 1} ${k}: perf ${perf} TBT ${tbt} ms (load ${load}) long tasks [${long}]`,
          );
        }
      }
    }
  } finally {
    await chrome.kill();
  }
  console.log(
    `\nmedians over ${ROUNDS} rounds (load now ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")})`,
  );
  for (const [k, r] of Object.entries(results))
    console.log(
      `${k}: perf ${median(r.perf)} (${r.perf.join(" ")}), TBT ${median(r.tbt)} ms (${r.tbt.join(" ")})`,
    );
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
