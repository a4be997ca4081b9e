// The tests a stage skips by design in the environment it runs in; any other skip fails the stage
// (scripts/check-report.mjs). Each entry names why.
import { spawnSync } from "node:child_process";

/** @returns {string[]} regexes over "file › full test name" (vitest) or "[project] title" (Playwright). */
export function expectedSkips(suite, env = process.env) {
  const skips = [];
  if (suite === "integration") {
    // Races can only be shown on real Postgres; the embedded database runs one query at a time.
    if (!env.DATABASE_URL) skips.push("on real Postgres");
    // The one-owner lock is a property of the embedded database.
    else skips.push("embedded database");
    // The Redis outage test starts its own redis-server.
    if (spawnSync("redis-server", ["--version"]).status !== 0) skips.push("Redis store outage");
    if (env.API_BASE_URL) {
      // A server in another process sets the client IP from its socket and has its own webhook secret.
      skips.push("keys-auth\\.test\\.ts", "fuzz-regressions\\.test\\.ts .*is invalid_request, never a 500");
    }
  }
  return skips;
}
