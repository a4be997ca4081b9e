import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/server/db/client";

// PGlite has no locking of its own: a second process must be refused, loudly, instead of corrupting it.
describe.skipIf(Boolean(process.env.DATABASE_URL))("the embedded database has one owner", () => {
  it("refuses a second process with a message naming the owner", async () => {
    await getDb();
    const dataDir = process.env.DATA_DIR!;
    const lock = path.join(path.resolve(dataDir), "pglite.lock");
    expect(fs.readFileSync(lock, "utf8")).toBe(String(process.pid));

    const script = `import { getDb } from "./lib/server/db/client.ts"; getDb().then(() => { console.log("opened"); process.exit(0); }, (e) => { console.error(e.message); process.exit(3); });`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: process.cwd(),
      env: { ...process.env, DATA_DIR: dataDir, SEED_DEMO: "" },
      encoding: "utf8",
      timeout: 240_000,
    });
    expect(child.status).toBe(3);
    expect(child.stderr).toContain(`already open in process ${process.pid}`);
    expect(child.stdout).not.toContain("opened");
  }, 300_000);

  it("takes over the lock of a dead owner", async () => {
    const dir = fs.mkdtempSync(
      path.join(path.dirname(path.resolve(process.env.DATA_DIR!)), "genmedia-stale-"),
    );
    fs.writeFileSync(path.join(dir, "pglite.lock"), "999999999");
    const script = `import { getDb } from "./lib/server/db/client.ts"; import { shutdown } from "./lib/server/lifecycle.ts"; getDb().then(async () => { await shutdown(); console.log("opened"); process.exit(0); }, (e) => { console.error(e.message); process.exit(3); });`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: process.cwd(),
      env: { ...process.env, DATA_DIR: dir, SEED_DEMO: "" },
      encoding: "utf8",
      timeout: 240_000,
    });
    expect(child.stdout, child.stderr).toContain("opened");
    expect(fs.existsSync(path.join(dir, "pglite.lock"))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
