// Starts one server for the e2e run on a fresh data folder: `console` (the production build behind
// server.ts), `api` (the standalone API app), `limits` (the console with small limits) or `redis-down`
// (the console with its Redis behind a proxy that e2e/console-redis-down cuts).
import { spawn } from "node:child_process";
import fs from "node:fs";

const kind = process.argv[2];
const PORTS = {
  api: process.env.E2E_API_PORT ?? "3101",
  limits: process.env.E2E_LIMITS_PORT ?? "3102",
  "redis-down": process.env.E2E_REDIS_DOWN_PORT ?? "3103",
};
const port = PORTS[kind] ?? process.env.E2E_PORT ?? "3100";
const dataDir = `.data-e2e-${kind}-${port}`;
fs.rmSync(dataDir, { recursive: true, force: true });

const env = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_MANUAL_SIG_HANDLE: "1",
  NEXT_TELEMETRY_DISABLED: "1",
  DATA_DIR: dataDir,
  SEED_DEMO: "1",
  PORT: port,
  API_PORT: port,
  APP_URL: `http://localhost:${port}`,
  BETTER_AUTH_SECRET: "e2e-only-secret-0123456789abcdef",
  // Webhook receivers in the specs are node:http servers on this machine (loopback, plain http).
  WEBHOOK_ALLOW_LOOPBACK: "1",
};
delete env.DATABASE_URL;
// Jobs finish in a blink (tests wait on their end, not on a clock), unless a spec needs them slow.
env.DEMO_GENERATION_MS ??= "300";
if (kind === "limits") {
  // Small enough for a browser test to reach; its own in-memory limiter, shared with no other server.
  Object.assign(env, {
    RATE_LIMIT_PER_MINUTE: "30",
    MAX_UNFINISHED_JOBS_PER_KEY: "2",
    DEMO_GENERATION_MS: "8000",
    MAX_UPLOAD_BYTES: "65536",
  });
  delete env.REDIS_URL;
}
if (kind === "redis-down") env.REDIS_URL = `redis://127.0.0.1:${process.env.E2E_REDIS_PROXY_PORT ?? "3104"}`;
const entry = kind === "api" ? "lib/server/api/server.ts" : "server.ts";
// The server's output goes to Playwright as before, and into its data folder for scripts/e2e-secrets.ts.
fs.mkdirSync(dataDir, { recursive: true });
const log = fs.createWriteStream(`${dataDir}/server.log`);
const child = spawn(process.execPath, ["--import", "tsx", entry], {
  stdio: ["inherit", "pipe", "pipe"],
  env,
});
for (const [from, to] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
]) {
  from.on("data", (chunk) => {
    to.write(chunk);
    log.write(chunk);
  });
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => log.end(() => process.exit(code ?? 0)));
