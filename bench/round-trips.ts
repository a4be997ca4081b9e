/**
 * Database and Redis round trips per request, for the routes of bench/api-throughput.ts: the app runs
 * in this process, node-postgres and ioredis are counted at their lowest call (one `query`, one
 * command; a Redis pipeline once). Background writes (request log, key usage) are off the request's path and not counted.
 * A key request served from key verification's cache (lib/server/keys/auth-cache.ts) has no look-up.
 *
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… npx tsx bench/round-trips.ts
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { Redis } from "ioredis";

let sql = 0;
let redis = 0;
let counting = false;
const statements: string[] = [];
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (counting) {
    sql++;
    const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string }).text;
    statements.push((text ?? "?").replace(/\s+/g, " ").slice(0, 70));
  }
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;
// A MULTI/pipeline sends its commands in one write: commands sent in the same tick count once.
let sameTick = false;
const sendCommand = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (this: Redis, ...args: Parameters<Redis["sendCommand"]>) {
  if (counting && !sameTick) {
    redis++;
    sameTick = true;
    setImmediate(() => (sameTick = false));
  }
  return sendCommand.apply(this, args);
};

process.env.SEED_DEMO = "1";
process.env.BETTER_AUTH_SECRET ??= "bench-only-secret-0123456789abcdef";
process.env.IN_PROCESS_WORKER = "0";
process.env.MAX_UNFINISHED_JOBS_PER_KEY = "100000000";
// The bench shares Redis and the demo customer: its budgets must not refuse these few requests.
process.env.RATE_LIMIT_PER_MINUTE = "100000000";
process.env.AUTH_FAILURES_PER_MINUTE = "100000000";

const ORIGIN = "http://localhost:3000";

async function main() {
  if (!process.env.DATABASE_URL) throw new Error("set DATABASE_URL (node-postgres is what is counted)");
  const { getApiApp } = await import("../lib/server/api/app");
  const { getAuth } = await import("../lib/server/auth/auth");
  const { getDb } = await import("../lib/server/db/client");
  const { credit } = await import("../lib/server/billing/ledger");
  const { generateSecret } = await import("../lib/server/keys/secret");
  const { shutdown } = await import("../lib/server/lifecycle");
  const { startKeyAuthCache } = await import("../lib/server/keys/auth-cache");
  const db = await getDb();
  // Steady state: key verification's cache serves once its listener is up (a process's first key
  // request starts it in the background).
  await startKeyAuthCache();
  await db.transaction((tx) => credit(tx, "cus_demo", 1_000_000, "adjustment", { note: "round trips" }));
  const signIn = await (
    await getAuth()
  ).handler(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: ORIGIN },
      body: JSON.stringify({ email: "demo@example.com", password: "demo-password-1" }),
    }),
  );
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const app = getApiApp();
  const call = async (path: string, init: RequestInit = {}) =>
    app.fetch(new Request(`${ORIGIN}/api/v1${path}`, init));
  const post = { origin: ORIGIN, "content-type": "application/json" };
  const created = await call("/keys", {
    method: "POST",
    headers: { cookie, ...post },
    body: JSON.stringify({ name: "round trips" }),
  });
  const { secret } = (await created.json()) as { secret: string };
  const key = { authorization: `Bearer ${secret}` };
  const job = JSON.stringify({ product: "text-to-image", prompt: "round trips" });
  const routes: [string, () => Promise<Response>][] = [
    ["GET /balance (key)", () => call("/balance", { headers: key })],
    ["GET /jobs?limit=25 (key)", () => call("/jobs?limit=25", { headers: key })],
    ["POST /jobs (key)", () => call("/jobs", { method: "POST", headers: { ...key, ...post }, body: job })],
    [
      "POST /jobs + Idempotency-Key (key)",
      () =>
        call("/jobs", {
          method: "POST",
          headers: { ...key, ...post, "idempotency-key": randomUUID() },
          body: job,
        }),
    ],
    ["401 unknown key", () => call("/balance", { headers: { authorization: `Bearer ${generateSecret()}` } })],
    ["GET /balance (session)", () => call("/balance", { headers: { cookie } })],
    [
      "POST /jobs (session)",
      () => call("/jobs", { method: "POST", headers: { cookie, ...post }, body: job }),
    ],
  ];
  const verbose = process.env.VERBOSE === "1";
  console.log("route | status | SQL round trips | Redis round trips");
  for (const [name, run] of routes) {
    await run(); // warm: caches, prepared statements, the key-usage write
    let best = { sql: Infinity, redis: Infinity, status: 0, statements: [] as string[] };
    for (let i = 0; i < 3; i++) {
      sql = 0;
      redis = 0;
      statements.length = 0;
      counting = true;
      const res = await run();
      await res.arrayBuffer();
      counting = false;
      if (sql < best.sql) best = { sql, redis, status: res.status, statements: [...statements] };
    }
    console.log(`${name} | ${best.status} | ${best.sql} | ${best.redis}`);
    if (verbose) for (const s of best.statements) console.log(`    ${s}`);
  }
  await shutdown();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
