// `npm test`: every gate in order, stopping at the first failure.
import { spawnSync } from "node:child_process";

const steps = ["lint", "typecheck", "format:check", "test:unit", "test:integration", "test:e2e"];
for (const step of steps) {
  console.log(`\n▶ npm run ${step}`);
  const started = Date.now();
  const result = spawnSync("npm", ["run", "--silent", step], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${step} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${step} (${seconds}s)`);
}
console.log("\nAll checks passed.");
