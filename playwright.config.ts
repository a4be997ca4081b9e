import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const API_PORT = Number(process.env.E2E_API_PORT ?? 3101);
const systemChromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const launchOptions = fs.existsSync(systemChromium)
  ? {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    }
  : {};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  expect: { timeout: 15_000 },
  // Long flows (a key's whole lifecycle) on a busy 2-core machine: each cold page can take seconds.
  timeout: 180_000,
  use: { trace: "retain-on-failure", screenshot: "only-on-failure" },
  projects: [
    { name: "api", testDir: "e2e/api", use: { baseURL: `http://localhost:${PORT}` } },
    { name: "api-standalone", testDir: "e2e/api", use: { baseURL: `http://localhost:${API_PORT}` } },
    {
      name: "console",
      testDir: "e2e/console",
      use: {
        ...devices["Desktop Chrome"],
        baseURL: `http://localhost:${PORT}`,
        launchOptions,
        permissions: ["clipboard-read", "clipboard-write"],
      },
    },
  ],
  webServer: [
    {
      command: "node scripts/e2e-server.mjs console",
      url: `http://localhost:${PORT}/api/v1/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
    {
      command: "node scripts/e2e-server.mjs api",
      url: `http://localhost:${API_PORT}/api/v1/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
  ],
});
