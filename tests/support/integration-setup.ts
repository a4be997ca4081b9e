import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";
import { perWorkerDatabases, workerDatabaseUrl, workerRedisUrl } from "./postgres-workers";

// A fresh embedded database per test file, unless the run targets a real Postgres (DATABASE_URL): a
// copy of the suite's template (migrated and seeded once, tests/support/pglite-template.ts).
if (!process.env.DATABASE_URL) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genmedia-it-"));
  const template = inject("pgliteTemplate");
  if (template) fs.cpSync(template, dir, { recursive: true });
  process.env.DATA_DIR = dir;
  afterAll(async () => {
    const { shutdown } = await import("@/lib/server/lifecycle");
    await shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });
} else {
  if (perWorkerDatabases()) {
    // This worker's own database and Redis (tests/support/postgres-workers.ts). process.env outlives a
    // file in its worker: derive from the run's URLs, kept aside the first time.
    const pool = process.env.VITEST_POOL_ID ?? "1";
    process.env.RUN_DATABASE_URL ??= process.env.DATABASE_URL;
    process.env.DATABASE_URL = workerDatabaseUrl(process.env.RUN_DATABASE_URL!, pool);
    if (process.env.REDIS_URL) {
      process.env.RUN_REDIS_URL ??= process.env.REDIS_URL;
      process.env.REDIS_URL = workerRedisUrl(process.env.RUN_REDIS_URL, pool);
    }
  }
  afterAll(async () => {
    const { shutdown } = await import("@/lib/server/lifecycle");
    await shutdown();
  });
}
process.env.SEED_DEMO = "1";
process.env.BETTER_AUTH_SECRET ??= "integration-tests-secret-0123456789";

// Open (migrate, seed) the database before the first test, under the hook timeout rather than a test's:
// on a loaded machine the first open can take far longer than one request.
beforeAll(async () => {
  const { getDb } = await import("@/lib/server/db/client");
  await getDb();
}, 300_000);
