import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, inject } from "vitest";

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
