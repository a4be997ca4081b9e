// Starts one server for the e2e run on a fresh data folder: `console` (the production build behind
// server.ts) or `api` (the standalone API app).
import { spawn } from "node:child_process";
import fs from "node:fs";

const kind = process.argv[2];
const port = kind === "api" ? (process.env.E2E_API_PORT ?? "3101") : (process.env.E2E_PORT ?? "3100");
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
};
delete env.DATABASE_URL;
const entry = kind === "api" ? "lib/server/api/server.ts" : "server.ts";
const child = spawn(process.execPath, ["--import", "tsx", entry], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
