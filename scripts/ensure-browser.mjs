// Playwright cannot download browsers on every machine: use the system Chromium when there is one,
// else install Playwright's own (a laptop with network), so `npm test` works either way.
import { execSync } from "node:child_process";
import fs from "node:fs";

const system = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (fs.existsSync(system)) {
  console.log(`Using system Chromium at ${system}`);
} else {
  console.log("No system Chromium: installing Playwright's Chromium");
  execSync("npx playwright install chromium", { stdio: "inherit" });
}
