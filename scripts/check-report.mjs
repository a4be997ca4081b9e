// Reads a test runner's JSON report (vitest's or Playwright's) and fails the stage when it proves
// nothing: no test ran, a test failed, or a test was skipped without the stage saying it expects that
// skip. Prints the counts, and appends them to $CI_COUNTS (tab-separated) for the run's summary.
//
//   node scripts/check-report.mjs <stage> <report.json> [--suite <name>] [--expect-skip <regex>]...
// --suite adds the skips that suite makes by design in this environment (scripts/expected-skips.mjs).
import fs from "node:fs";
import { expectedSkips } from "./expected-skips.mjs";

const [stage, file, ...rest] = process.argv.slice(2);
if (!stage || !file) {
  console.error("usage: check-report.mjs <stage> <report.json> [--suite <name>] [--expect-skip <regex>]...");
  process.exit(2);
}
const expected = [];
for (let i = 0; i < rest.length; i += 2) {
  const [flag, value] = [rest[i], rest[i + 1]];
  if (flag === "--expect-skip" && value !== undefined) expected.push(new RegExp(value));
  else if (flag === "--suite" && value !== undefined)
    expected.push(...expectedSkips(value).map((s) => new RegExp(s)));
  else {
    console.error(`check-report: unknown argument ${flag}`);
    process.exit(2);
  }
}
if (!fs.existsSync(file)) {
  console.error(`✖ ${stage}: no report at ${file} (the runner did not run)`);
  process.exit(1);
}
const report = JSON.parse(fs.readFileSync(file, "utf8"));

/** Every test as {name, status: passed | failed | skipped}. */
function tests() {
  if (Array.isArray(report.testResults)) {
    // vitest (Jest's format): pending/todo/skipped are all "not run".
    return report.testResults.flatMap((f) =>
      f.assertionResults.map((t) => ({
        name: `${f.name.replace(process.cwd() + "/", "")} › ${t.fullName}`,
        status: t.status === "passed" ? "passed" : t.status === "failed" ? "failed" : "skipped",
      })),
    );
  }
  // Playwright: suites nest; a spec's test per project; its outcome from the status of the last result.
  const out = [];
  const walk = (suite, trail) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        const name = [...trail, spec.title].filter(Boolean).join(" › ");
        const status =
          t.status === "skipped"
            ? "skipped"
            : t.status === "expected" || t.status === "flaky"
              ? "passed"
              : "failed";
        const ms = t.results.reduce((sum, r) => sum + (r.duration ?? 0), 0);
        out.push({ name: `[${t.projectName}] ${name}`, status, file: `[${t.projectName}] ${spec.file}`, ms });
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...trail, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, [suite.title]);
  return out;
}

const all = tests();
const count = (s) => all.filter((t) => t.status === s).length;
const passed = count("passed");
const failed = count("failed");
const skipped = all.filter((t) => t.status === "skipped");
const unexpected = skipped.filter((t) => !expected.some((re) => re.test(t.name)));

console.log(`${stage}: ${passed} passed, ${failed} failed, ${skipped.length} skipped`);
for (const t of skipped) console.log(`  ${unexpected.includes(t) ? "✖ unexpected" : "skip"}: ${t.name}`);
if (process.env.CI_COUNTS)
  fs.appendFileSync(process.env.CI_COUNTS, `${stage}\t${passed}\t${failed}\t${skipped.length}\n`);

// Where a browser run's time went (test time summed per file; two workers share it).
const perFile = new Map();
for (const t of all) if (t.file) perFile.set(t.file, (perFile.get(t.file) ?? 0) + t.ms);
if (perFile.size > 0) {
  console.log(`  test time per file (s), slowest first:`);
  for (const [f, ms] of [...perFile].sort((a, b) => b[1] - a[1]).slice(0, 8))
    console.log(`  ${(ms / 1000).toFixed(0).padStart(6)}  ${f}`);
}

const problems = [];
if (passed === 0) problems.push("no test ran");
if (failed > 0) problems.push(`${failed} failed`);
// A file that failed to load or in a hook has no failed test of its own (vitest), or an error (Playwright).
const brokenFiles = report.numFailedTestSuites ?? report.errors?.length ?? 0;
if (brokenFiles > 0) problems.push(`${brokenFiles} file(s) or hooks broke`);
if (unexpected.length > 0) problems.push(`${unexpected.length} skipped that the stage did not expect`);
if (problems.length > 0) {
  console.error(`✖ ${stage}: ${problems.join("; ")}`);
  process.exit(1);
}
