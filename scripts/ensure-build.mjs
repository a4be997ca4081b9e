// One production build per run: `next build` only when the build folder is missing or was built from
// other sources. The build records a hash of everything it is made from; a later stage (e2e, a bench)
// compares it with the tree as it is now.
//
//   node scripts/ensure-build.mjs           build if needed (npm test on a laptop, CI's build stage)
//   node scripts/ensure-build.mjs --check   never build: exit 1 unless a build of this tree is there
//   node scripts/ensure-build.mjs --stamp   record that the build just made (`npm run build`) is of this tree
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const DIST = path.join(ROOT, process.env.NEXT_DIST_DIR || ".next");
const STAMP = path.join(DIST, "source-hash");
// What `next build` reads: routes, components, libraries, static files and the configuration.
const INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "instrumentation.ts",
  "proxy.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "tailwind.config.ts",
  "tsconfig.json",
  "package-lock.json",
];

/** A hash of the inputs' paths and contents (tests beside the code included: cheap, and safe). */
export function sourceHash() {
  const hash = crypto.createHash("sha256");
  const add = (rel) => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) add(path.join(rel, name));
    } else {
      hash.update(`${rel}\0`).update(fs.readFileSync(abs)).update("\0");
    }
  };
  for (const input of INPUTS) add(input);
  // A build made for another environment (a public URL baked in) is another build.
  hash.update(`NODE_ENV=production`);
  return hash.digest("hex");
}

function builtHash() {
  if (!fs.existsSync(path.join(DIST, "BUILD_ID"))) return null;
  return fs.existsSync(STAMP) ? fs.readFileSync(STAMP, "utf8").trim() : "";
}

const wanted = sourceHash();
if (process.argv.includes("--stamp")) {
  fs.writeFileSync(STAMP, `${wanted}\n`);
  process.exit(0);
}
const have = builtHash();
const rel = path.relative(ROOT, DIST);
if (have === wanted) {
  console.log(`Using the production build in ${rel}/ (sources ${wanted.slice(0, 12)}): not rebuilding`);
  process.exit(0);
}
const why = have === null ? "no build" : "a build of other sources";
if (process.argv.includes("--check")) {
  console.error(`${rel}/ has ${why}: run \`node scripts/ensure-build.mjs\` (or \`npm run build\`) first.`);
  process.exit(1);
}
console.log(`${rel}/ has ${why}: next build`);
const result = spawnSync("npx", ["next", "build"], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
if (result.status !== 0) process.exit(result.status ?? 1);
fs.writeFileSync(STAMP, `${wanted}\n`);
