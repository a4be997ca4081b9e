/**
 * API throughput and latency as ratios to a trivial route in the same server, for the API mounted in
 * Next (server.ts, production build) and standalone (`npm run api`), on the database in DATABASE_URL
 * (real Postgres for numbers worth recording; without it, a fresh embedded database per server).
 *
 *   npx next build && DATABASE_URL=postgres://… npx tsx bench/api-throughput.ts      (npm run bench:api)
 *
 * The standalone API listens on BENCH_PORT (default 3251), Next on the port after it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { measure, signInCookie, startServer, stopServer, table, type Measure, writeResult } from "./lib";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PORT = Number(process.env.BENCH_PORT ?? 3251);
const common = {
  SEED_DEMO: "1",
  BENCH_ROUTES: "1",
  IN_PROCESS_WORKER: "0",
  RATE_LIMIT_PER_MINUTE: "100000000",
  BETTER_AUTH_SECRET: "bench-only-secret-0123456789abcdef",
};

async function topUp(customerId: string, credits: number) {
  if (!process.env.DATABASE_URL) return;
  const { getDb } = await import("../lib/server/db/client");
  const { credit } = await import("../lib/server/billing/ledger");
  const db = await getDb();
  await db.transaction((tx) => credit(tx, customerId, credits, "adjustment", { note: "bench credits" }));
}

async function suite(label: string, base: string): Promise<Measure[]> {
  const cookie = await signInCookie(base, "demo@example.com", "demo-password-1");
  const origin = new URL(base).origin;
  const out = [
    await measure("noop (baseline)", {
      url: `${base}/api/v1/__bench/noop`,
      seconds: SECONDS,
      connections: CONNECTIONS,
    }),
    await measure("GET /balance", {
      url: `${base}/api/v1/balance`,
      headers: { cookie },
      seconds: SECONDS,
      connections: CONNECTIONS,
    }),
  ];
  const jobs = await fetch(`${base}/api/v1/jobs?limit=1`, { headers: { cookie } });
  if (jobs.status !== 404) {
    out.push(
      await measure("POST /jobs", {
        url: `${base}/api/v1/jobs`,
        method: "POST",
        headers: { cookie, origin, "content-type": "application/json" },
        body: JSON.stringify({ product: "text-to-image", prompt: "bench" }),
        seconds: SECONDS,
        connections: CONNECTIONS,
      }),
    );
  }
  console.log(`\n${label}`);
  return out;
}

async function main() {
  const db = process.env.DATABASE_URL ? "postgres" : "pglite";
  const results: Record<string, Measure[]> = {};
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "genmedia-bench-"));

  const standalone = await startServer(
    "standalone API",
    ["lib/server/api/server.ts"],
    { ...common, API_PORT: `${PORT}`, APP_URL: `http://localhost:${PORT}`, DATA_DIR: path.join(tmp, "api") },
    `http://localhost:${PORT}/api/v1/health`,
  );
  try {
    await topUp("cus_demo", 100_000_000);
    results.standalone = await suite("standalone", `http://localhost:${PORT}`);
  } finally {
    await stopServer(standalone);
  }

  const mounted = await startServer(
    "Next (server.ts)",
    ["server.ts"],
    {
      ...common,
      NODE_ENV: "production",
      PORT: `${PORT + 1}`,
      APP_URL: `http://localhost:${PORT + 1}`,
      DATA_DIR: path.join(tmp, "next"),
    },
    `http://localhost:${PORT + 1}/api/v1/health`,
  );
  try {
    results.mounted = await suite("mounted in Next", `http://localhost:${PORT + 1}`);
  } finally {
    await stopServer(mounted);
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  const rows: (string | number)[][] = [
    ["server", "route", "req/s", "ratio to noop", "p50 ms", "p99 ms", "non-2xx"],
  ];
  for (const [server, list] of Object.entries(results)) {
    const base = list[0]!.rps;
    for (const m of list)
      rows.push([server, m.name, m.rps, (m.rps / base).toFixed(3), m.p50, m.p99, m.non2xx]);
  }
  console.log(
    `\nAPI throughput (${db}, ${CONNECTIONS} connections, ${SECONDS} s per route, ${os.cpus().length} cores)\n`,
  );
  console.log(table(rows));
  writeResult("api-throughput", { database: db, connections: CONNECTIONS, seconds: SECONDS, results });
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
