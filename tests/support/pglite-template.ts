import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** An embedded database folder, migrated and seeded, that each test file copies (see below). */
    pgliteTemplate: string | null;
  }
}

/**
 * Global setup of the suites on the embedded database: migrate and seed one database once, in a process
 * of its own, and hand its folder to every test file, which starts from a copy (tests/support/
 * integration-setup.ts). A fresh PGlite folder costs ~7 s to create, migrate and seed; a copy of one
 * opens in ~2 s. Nothing is shared: each file still gets its own database. Against a real Postgres
 * (DATABASE_URL) there is nothing to do.
 */
export default function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide("pgliteTemplate", null);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genmedia-template-"));
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(import.meta.dirname, "pglite-template-make.ts")],
    {
      env: {
        ...process.env,
        DATA_DIR: dir,
        SEED_DEMO: "1",
        BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? "integration-tests-secret-0123456789",
      },
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  if (result.status !== 0) throw new Error(`making the database template failed (exit ${result.status})`);
  project.provide("pgliteTemplate", dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
