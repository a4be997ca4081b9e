// `npm test`: every gate in order, stopping at the first failure. The suites write JSON reports that
// scripts/check-report.mjs reads: a suite that ran no test, or skipped one it did not expect, fails.
// Each step's seconds are printed, and appended to $CI_STAGES when set (.ci/run's stage table).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const reports = process.env.TEST_REPORTS_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "genmedia-reports-"));
fs.mkdirSync(reports, { recursive: true });
const vitestJson = (name) => [
  "--",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${path.join(reports, name)}`,
];

// The static checks read the tree and write nothing: they run two at a time (one per core; each is
// mostly one thread), their output printed whole as each ends. One after another they took 99 s in CI
// (lint 27, typecheck 37, format 18, sdk 15, openapi 2).
const checks = [
  { name: "typecheck", run: ["npm", "run", "--silent", "typecheck"] },
  { name: "lint", run: ["npm", "run", "--silent", "lint"] },
  { name: "format", run: ["npm", "run", "--silent", "format:check"] },
  // The SDK's generated files match the API's OpenAPI document, and the package compiles on its own.
  { name: "sdk generated", run: ["npm", "run", "--silent", "sdk:check"] },
  // Redocly's recommended rules on that document: errors fail, warnings are printed.
  { name: "openapi lint", run: ["npm", "run", "--silent", "openapi:lint"] },
];

/** Runs the checks `width` at a time; resolves with each one's status and seconds. */
async function runChecks(list, width) {
  const results = [];
  const queue = [...list];
  const lane = async () => {
    for (let check = queue.shift(); check; check = queue.shift()) {
      const started = Date.now();
      const child = spawn(check.run[0], check.run.slice(1), {
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      const status = await new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
      const seconds = (Date.now() - started) / 1000;
      console.log(`\n▶ ${check.name}\n${output.trimEnd()}`);
      console.log(status === 0 ? `✔ ${check.name} (${seconds.toFixed(1)}s)` : `✖ ${check.name} failed`);
      results.push({ name: check.name, status, seconds });
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return results;
}

{
  const started = Date.now();
  const results = await runChecks(checks, 2);
  const seconds = (Date.now() - started) / 1000;
  const each = results.map((r) => `${r.name} ${r.seconds.toFixed(0)}`).join(", ");
  if (process.env.CI_STAGES)
    fs.appendFileSync(process.env.CI_STAGES, `static checks, 2 at a time (${each})\t${seconds.toFixed(0)}\n`);
  const failed = results.filter((r) => r.status !== 0);
  if (failed.length) {
    console.error(`\n✖ ${failed.map((r) => r.name).join(", ")} failed`);
    process.exit(failed[0].status);
  }
  console.log(`\n✔ static checks (${seconds.toFixed(1)}s: ${each})`);
}

const steps = [
  {
    name: "unit",
    run: ["npm", "run", "--silent", "test:unit", ...vitestJson("unit.json")],
    report: "unit.json",
  },
  {
    name: "integration",
    run: ["npm", "run", "--silent", "test:integration", ...vitestJson("integration.json")],
    report: "integration.json",
    suite: "integration",
  },
  // One production build, reused by e2e and the benches (skipped when the tree is already built).
  { name: "build", run: ["node", "scripts/ensure-build.mjs"] },
  {
    name: "e2e",
    run: ["npm", "run", "--silent", "test:e2e"],
    env: { E2E_REPORT: path.join(reports, "e2e.json") },
    report: "e2e.json",
  },
];

for (const step of steps) {
  console.log(`\n▶ ${step.name}`);
  const started = Date.now();
  if (step.report) fs.rmSync(path.join(reports, step.report), { force: true });
  const result = spawnSync(step.run[0], step.run.slice(1), {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...step.env },
  });
  let status = result.status ?? 1;
  if (step.report) {
    const args = [path.join(reports, step.report), ...(step.suite ? ["--suite", step.suite] : [])];
    const check = spawnSync("node", ["scripts/check-report.mjs", step.name, ...args], { stdio: "inherit" });
    if (status === 0) status = check.status ?? 1;
  }
  const seconds = (Date.now() - started) / 1000;
  if (process.env.CI_STAGES)
    fs.appendFileSync(process.env.CI_STAGES, `${step.name}\t${seconds.toFixed(0)}\n`);
  if (status !== 0) {
    console.error(`\n✖ ${step.name} failed after ${seconds.toFixed(1)}s`);
    process.exit(status);
  }
  console.log(`✔ ${step.name} (${seconds.toFixed(1)}s)`);
}
console.log("\nAll checks passed.");
