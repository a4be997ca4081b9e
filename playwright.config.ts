import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "./e2e/support/chromium";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const API_PORT = Number(process.env.E2E_API_PORT ?? 3101);
// A console with small limits (rate_limited, queue_full, image_too_large reachable from a browser).
const LIMITS_PORT = Number(process.env.E2E_LIMITS_PORT ?? 3102);
// A console whose Redis goes through a proxy the spec can cut (rate_limiter_unavailable); needs a Redis.
const REDIS_DOWN_PORT = Number(process.env.E2E_REDIS_DOWN_PORT ?? 3103);
const E2E_REDIS_URL = process.env.E2E_REDIS_URL ?? process.env.REDIS_URL;
const launchOptions = fs.existsSync(CHROMIUM_PATH)
  ? { executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS }
  : {};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [
    ["list"],
    ...(process.env.CI ? [] : [["html", { open: "never" }] as const]),
    // The run's JSON report (per-test timings; scripts/check-report.mjs reads it in npm test).
    ...(process.env.E2E_REPORT ? [["json", { outputFile: process.env.E2E_REPORT }] as const] : []),
  ],
  expect: { timeout: 15_000 },
  // Two workers share two cores with four servers: a browser test gets 90 s.
  timeout: 90_000,
  use: { trace: "retain-on-failure", screenshot: "only-on-failure" },
  projects: [
    { name: "api", testDir: "e2e/api", use: { baseURL: `http://localhost:${PORT}` } },
    { name: "api-standalone", testDir: "e2e/api", use: { baseURL: `http://localhost:${API_PORT}` } },
    // Signs the seeded accounts in once and saves their sessions for the console specs.
    {
      name: "setup",
      testDir: "e2e/setup",
      testMatch: /\.setup\.ts$/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://localhost:${PORT}`, launchOptions },
    },
    {
      name: "console",
      testDir: "e2e/console",
      dependencies: ["setup"],
      use: {
        ...devices["Desktop Chrome"],
        baseURL: `http://localhost:${PORT}`,
        launchOptions,
        permissions: ["clipboard-read", "clipboard-write"],
      },
    },
    {
      name: "console-limits",
      testDir: "e2e/console-limits",
      use: { ...devices["Desktop Chrome"], baseURL: `http://localhost:${LIMITS_PORT}`, launchOptions },
    },
    ...(E2E_REDIS_URL
      ? [
          {
            name: "console-redis-down",
            testDir: "e2e/console-redis-down",
            use: {
              ...devices["Desktop Chrome"],
              baseURL: `http://localhost:${REDIS_DOWN_PORT}`,
              launchOptions,
            },
          },
        ]
      : []),
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
    {
      command: "node scripts/e2e-server.mjs limits",
      url: `http://localhost:${LIMITS_PORT}/api/v1/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
    ...(E2E_REDIS_URL
      ? [
          {
            command: "node scripts/e2e-server.mjs redis-down",
            // Its health is 503 while the spec's Redis proxy is down, so readiness is the sign-in page.
            url: `http://localhost:${REDIS_DOWN_PORT}/sign-in`,
            timeout: 180_000,
            reuseExistingServer: false,
            stdout: "pipe" as const,
            stderr: "pipe" as const,
            gracefulShutdown: { signal: "SIGTERM" as const, timeout: 10_000 },
          },
        ]
      : []),
  ],
});
