import pg from "pg";
import type { TestProject } from "vitest/node";

/**
 * The database of one vitest worker on a real Postgres: `genmedia` → `genmedia_w1`, `genmedia_w2`.
 * Each worker runs its files one at a time on a database of its own, so two files run side by side
 * without seeing each other's rows (a worker claiming another file's queued job, say), and each file
 * still shares its database with the files before it in that worker, as it did with all of them.
 */
export function workerDatabaseUrl(url: string, poolId: string | number): string {
  const u = new URL(url);
  u.pathname = `${u.pathname.replace(/^\//, "") || "postgres"}_w${poolId}`;
  return u.toString();
}

/**
 * The worker's Redis: its own logical database, counted on from the run's (`/0` → 1, 2, …; `/10` → 11,
 * 12, …), so rate-limit counters are shared neither between workers nor with another run on the same Redis.
 */
export function workerRedisUrl(url: string, poolId: string | number): string {
  const u = new URL(url);
  const base = Number(u.pathname.replace(/^\//, "") || "0");
  u.pathname = `/${base + Number(poolId)}`;
  return u.toString();
}

/** Whether the run gives each worker its own database: a real Postgres, and no separately started API. */
export function perWorkerDatabases(): boolean {
  return Boolean(process.env.DATABASE_URL) && !process.env.API_BASE_URL;
}

/**
 * Global setup: a fresh, empty database per worker (each is migrated and seeded when its first file opens
 * it). Made here, in one process and one after the other, because two CREATE DATABASE from the same
 * template at once can fail ("source database is being accessed by other users").
 */
export default async function setup(project: TestProject) {
  if (!perWorkerDatabases()) return;
  const workers = project.config.maxWorkers;
  const base = process.env.DATABASE_URL!;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    for (let id = 1; id <= workers; id++) {
      const name = new URL(workerDatabaseUrl(base, id)).pathname.slice(1);
      const quoted = client.escapeIdentifier(name);
      await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${quoted}`);
    }
  } finally {
    await client.end();
  }
}
