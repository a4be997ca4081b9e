import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside React's server condition; tests load server modules directly.
  "server-only": path.resolve(import.meta.dirname, "tests/support/empty.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        esbuild: { jsx: "automatic" },
        test: {
          name: "unit",
          include: [
            "lib/**/*.test.{ts,tsx}",
            "components/**/*.test.{ts,tsx}",
            "app/**/*.test.{ts,tsx}",
            "tests/conformance/**/*.test.ts",
            "sdk/test/unit/**/*.test.ts",
          ],
          environment: "jsdom",
          // Worker threads, not child processes: the whole suite in 277 s instead of 361 s side by side on
          // a loaded machine (load 9), the same 438 tests passing. Each file still gets a fresh module graph.
          pool: "threads",
          setupFiles: ["tests/support/unit-setup.ts"],
          // Room for the 15 s waits of tests/support/unit-setup.ts on a busy machine.
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          // Two files at a time (one per core). Each file gets its own embedded database; on a real
          // Postgres (DATABASE_URL) each worker gets its own database and Redis, which its files share
          // (tests/support/postgres-workers.ts). Against a separately started API (API_BASE_URL) every
          // file shares that server's database: one at a time.
          fileParallelism: !process.env.API_BASE_URL,
          maxWorkers: process.env.API_BASE_URL ? 1 : 2,
          globalSetup: ["tests/support/pglite-template.ts", "tests/support/postgres-workers.ts"],
          setupFiles: ["tests/support/integration-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: {
          alias: { ...alias, "@genmedia/sdk": path.resolve(import.meta.dirname, "sdk/src/index.ts") },
        },
        test: {
          // `npm run test:sdk`: the SDK against the standalone API and a worker on Postgres + Redis.
          name: "sdk",
          include: ["sdk/test/server/**/*.test.ts"],
          environment: "node",
          testTimeout: 90_000,
          hookTimeout: 180_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // `npm run test:fuzz`: fast-check over every endpoint, in-process (tests/fuzz/harness.ts).
          name: "fuzz",
          include: ["tests/fuzz/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/pglite-template.ts"],
          setupFiles: ["tests/support/integration-setup.ts"],
          // Two shards, two databases, both cores: the run is CPU-bound on the embedded database.
          maxWorkers: 2,
          testTimeout: 900_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
