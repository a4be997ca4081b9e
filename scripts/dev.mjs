// `npm run dev`: our web server in development mode, with the demo seed on by default.
import { spawn } from "node:child_process";

const env = {
  ...process.env,
  NODE_ENV: "development",
  SEED_DEMO: process.env.SEED_DEMO ?? "1",
  NEXT_MANUAL_SIG_HANDLE: "1",
  NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? "1",
};
const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
