/**
 * A Chrome performance trace of cold loads of console pages, and what runs in each long task (> 50 ms):
 * the scripts evaluated, the functions called (by script URL), style/layout/paint, and the hottest
 * functions by self time from the trace's CPU profile. To find what a page's Total Blocking Time is made of
 * before cutting it (Lighthouse's TBT counts each main-thread task's time over 50 ms).
 *
 *   TRACE_URL=http://localhost:3430 TRACE_PATHS=/billing,/keys/:key TRACE_RUNS=3 tsx bench/trace-load.ts
 *
 * Measures the running server at TRACE_URL (seeded with SEED_DEMO=1, signed in as the demo owner) or
 * starts one on TRACE_PORT (3270). Each run is a fresh browser context (cold cache), Chromium with the
 * flags of the e2e runs. A path `/keys/:key` is a key this script creates (or TRACE_KEY);
 * TRACE_SEED_JOB=1 runs a job first (Billing then has usage to chart). TRACE_OUT=dir keeps the raw
 * traces (DevTools' Performance panel opens them); TRACE_FILES=a.json,b.json analyses saved ones.
 *
 * Besides wall time, each run's line `CPU:` sums the main thread's CPU time over 50 ms per task (thread
 * time: on a shared, loaded machine a task's wall time is mostly waiting for a core). That is the
 * number to compare builds by when the load varies; Lighthouse's TBT is wall time.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../e2e/support/chromium";
import { consoleCall, consoleUnderTest, jarCookies, signInCookie } from "./lib";

type Ev = {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
  id?: string;
};

const RUNS = Number(process.env.TRACE_RUNS ?? 1);
const CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8",
  "v8.execute",
  "blink.user_timing",
  "loading",
  "disabled-by-default-v8.cpu_profiler",
];

const short = (url = "") => url.replace(/^https?:\/\/[^/]+/, "").replace(/^\/_next\/static\/chunks\//, "");

function analyse(events: Ev[], label: string): { tbt: number; lines: string[] } {
  // The page's renderer main thread: the CrRendererMain with the most script evaluation.
  const names = events.filter((e) => e.ph === "M" && e.name === "thread_name");
  const mains = names.filter((e) => (e.args as { name: string }).name === "CrRendererMain");
  const score = (m: Ev) =>
    events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.name === "EvaluateScript").length;
  const main = mains.sort((a, b) => score(b) - score(a))[0]!;
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X");
  const navStart = events.find(
    (e) =>
      e.name === "navigationStart" &&
      e.pid === main.pid &&
      (e.args as { data?: { isLoadingMainFrame?: boolean; documentLoaderURL?: string } })?.data
        ?.documentLoaderURL,
  );
  const t0 = navStart?.ts ?? onMain[0]!.ts;
  const fcp = events.find((e) => e.name === "firstContentfulPaint" && e.pid === main.pid);
  const tasks = onMain.filter((e) => e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask");
  const long = tasks.filter((t) => (t.dur ?? 0) > 50_000);
  // CPU profile samples (ProfileChunk) for self time per function.
  const nodes = new Map<number, { fn: string; url: string; line: number; col: number }>();
  const samples: { ts: number; node: number }[] = [];
  let sampleTs = 0;
  for (const e of events) {
    if (e.name !== "ProfileChunk" || e.pid !== main.pid) continue;
    const data = (
      e.args as { data?: { cpuProfile?: { nodes?: unknown[]; samples?: number[] }; timeDeltas?: number[] } }
    ).data;
    for (const n of (data?.cpuProfile?.nodes ?? []) as {
      id: number;
      callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    }[])
      nodes.set(n.id, {
        fn: n.callFrame.functionName || "(anonymous)",
        url: short(n.callFrame.url),
        line: n.callFrame.lineNumber,
        col: n.callFrame.columnNumber,
      });
    const s = data?.cpuProfile?.samples ?? [];
    const d = data?.timeDeltas ?? [];
    for (let i = 0; i < s.length; i++) {
      sampleTs += d[i] ?? 0;
      samples.push({ ts: sampleTs, node: s[i]! });
    }
  }
  const profile = events.find((e) => e.name === "Profile" && e.pid === main.pid);
  const profileStart = (profile?.args as { data?: { startTime?: number } })?.data?.startTime ?? 0;

  const lines: string[] = [];
  const ms = (us: number) => (us / 1000).toFixed(0);
  let tbt = 0;
  const fcpTs = fcp?.ts ?? t0;
  for (const t of tasks) if (t.ts >= fcpTs && (t.dur ?? 0) > 50_000) tbt += (t.dur! - 50_000) / 1000;
  lines.push(
    `${label}: FCP ${fcp ? ms(fcp.ts - t0) : "?"} ms, ${long.length} long tasks, blocking after FCP ${tbt.toFixed(0)} ms (unsimulated)`,
  );
  for (const t of long) {
    const end = t.ts + t.dur!;
    const inside = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= end);
    lines.push(
      `  task @${ms(t.ts - t0)} ms, ${ms(t.dur!)} ms (cpu ${ms((t as Ev & { tdur?: number }).tdur ?? 0)} ms)`,
    );
    for (const e of inside) {
      const data = (e.args as { data?: { url?: string; functionName?: string; type?: string } })?.data;
      if (
        [
          "EvaluateScript",
          "v8.compile",
          "FunctionCall",
          "ParseHTML",
          "TimerFire",
          "FireAnimationFrame",
          "EventDispatch",
          "v8.compileModule",
          "v8.evaluateModule",
          "RunMicrotasks",
          "Layout",
          "UpdateLayoutTree",
          "Paint",
          "ParseAuthorStyleSheet",
          "MajorGC",
          "MinorGC",
          "V8.GC_SCAVENGER",
          "BlinkGC.AtomicPhase",
        ].includes(e.name) &&
        (e.dur ?? 0) > 3_000
      )
        lines.push(
          `    ${e.name.padEnd(18)} ${ms(e.dur!).padStart(4)} ms  ${short(data?.url ?? "")} ${data?.functionName ?? data?.type ?? ""}`,
        );
    }
    // Hottest functions in this task by self time.
    const self = new Map<string, number>();
    for (let i = 0; i < samples.length; i++) {
      const ts = profileStart + samples[i]!.ts;
      if (ts < t.ts || ts > end) continue;
      const dt = (samples[i + 1]?.ts ?? samples[i]!.ts) - samples[i]!.ts;
      const n = nodes.get(samples[i]!.node);
      if (!n) continue;
      const key = `${n.fn} ${n.url}:${n.line}:${n.col}`;
      self.set(key, (self.get(key) ?? 0) + dt);
    }
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    for (const [k, v] of top) lines.push(`      self ${ms(v).padStart(4)} ms  ${k}`);
  }
  // Across all long tasks after FCP: self time by script (what the blocking time is made of).
  const byScript = new Map<string, number>();
  let cpuBlocking = 0;
  for (const t of long) {
    if (t.ts < fcpTs) continue;
    cpuBlocking += Math.max(0, ((t as Ev & { tdur?: number }).tdur ?? 0) - 50_000) / 1000;
    const end = t.ts + t.dur!;
    for (let i = 0; i < samples.length; i++) {
      const ts = profileStart + samples[i]!.ts;
      if (ts < t.ts || ts > end) continue;
      const dt = (samples[i + 1]?.ts ?? samples[i]!.ts) - samples[i]!.ts;
      const n = nodes.get(samples[i]!.node);
      const key = n ? n.url || n.fn : "?";
      byScript.set(key, (byScript.get(key) ?? 0) + dt);
    }
  }
  // By thread CPU time (what the task itself ran, without the time the OS gave other processes: on a
  // loaded machine wall time is mostly waiting): every task, long or not.
  const cpu = (t: Ev) => ((t as Ev & { tdur?: number }).tdur ?? 0) / 1000;
  const byCpu = [...tasks].sort((a, b) => cpu(b) - cpu(a)).slice(0, 6);
  lines.push(
    `  CPU: total ${tasks.reduce((s, t) => s + cpu(t), 0).toFixed(0)} ms, over 50 ms in any task ${tasks.reduce((s, t) => s + Math.max(0, cpu(t) - 50), 0).toFixed(0)} ms; largest tasks ${byCpu.map((t) => `${cpu(t).toFixed(0)}@${ms(t.ts - t0)}`).join(" ")}`,
  );
  lines.push(
    `  blocking after FCP by thread CPU time: ${cpuBlocking.toFixed(0)} ms; self time in those tasks by script:`,
  );
  for (const [k, v] of [...byScript.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15))
    lines.push(`    ${ms(v).padStart(4)} ms  ${k}`);
  return { tbt, lines };
}

async function main() {
  if (process.env.TRACE_FILES) {
    for (const file of process.env.TRACE_FILES.split(",")) {
      const json = JSON.parse(fs.readFileSync(file, "utf8")) as { traceEvents: Ev[] };
      console.log(analyse(json.traceEvents, path.basename(file)).lines.join("\n"));
    }
    return;
  }
  const { base, stop } = await consoleUnderTest("TRACE", "3270");
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  try {
    const cookie = await signInCookie(base, "demo@example.com", "demo-password-1");
    let keyId = process.env.TRACE_KEY;
    const paths = (process.env.TRACE_PATHS ?? "/billing,/keys/:key").split(",");
    if (paths.some((p) => p.includes(":key")) && !keyId)
      keyId = String((await consoleCall(base, cookie, "POST", "/keys", { name: "Trace key" })).id);
    // Usage and a ledger movement to show, as the Lighthouse bench seeds (Billing draws its chart).
    if (process.env.TRACE_SEED_JOB)
      await consoleCall(base, cookie, "POST", "/jobs", { product: "text-to-image", prompt: "a lighthouse" });
    for (const p0 of paths) {
      const p = p0.replace(":key", keyId ?? "");
      await fetch(base + p, { headers: { cookie } }).catch(() => {}); // warm the server's caches
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext({ viewport: { width: 1350, height: 940 } });
        await context.addCookies(jarCookies(base, cookie));
        const page = await context.newPage();
        await browser.startTracing(page, { categories: CATEGORIES });
        await page.goto(base + p, { waitUntil: "load" });
        await page.waitForLoadState("networkidle");
        await page.waitForTimeout(1000); // let late hydration tasks land in the trace (not a test)
        const buf = await browser.stopTracing();
        const json = JSON.parse(buf.toString()) as { traceEvents: Ev[] };
        if (process.env.TRACE_OUT) {
          fs.mkdirSync(process.env.TRACE_OUT, { recursive: true });
          fs.writeFileSync(path.join(process.env.TRACE_OUT, `${p.replace(/\W+/g, "_")}-${run}.json`), buf);
        }
        console.log(analyse(json.traceEvents, `${p} run ${run + 1}`).lines.join("\n"));
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
