/**
 * API throughput and latency with the programs' credentials (Bearer API keys) and the console's
 * (session cookie), as ratios to a no-op route in the same server and to two physical floors measured
 * in the same run: bare node:http answering JSON, and bare node:http + pg doing one `SELECT 1`.
 *
 *   npx next build && DATABASE_URL=postgres://… npx tsx bench/api-throughput.ts      (npm run bench:api)
 *
 * Real Postgres for numbers worth recording (DATABASE_URL); without it each server gets a fresh
 * embedded database and the pg floor is skipped. REDIS_URL, when set, is the limiter's store, as in
 * production. With taskset and 2+ cores every server is pinned to CPU 0 and this process (autocannon)
 * to CPU 1; Postgres and Redis float.
 *
 * BENCH_SECONDS (5) per route after BENCH_WARMUP_SECONDS (1), BENCH_CONNECTIONS (16), BENCH_PORT
 * (3251: standalone; +1 Next; +2, +3 the floors), BENCH_SERVERS (standalone,mounted; mounted needs the
 * production build), BENCH_ONLY (a regex over route names, for profiling one route), BENCH_NODE_ARGS
 * (extra node flags for the API servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
 * BENCH_BASELINE_DIR (another checkout of the app, e.g. the commit before a change, with its
 * node_modules: its standalone API runs beside this one on port +4 and every route is measured on
 * both, back to back, so a before/after comparison shares the machine's load minute by minute).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { generateSecret } from "../lib/server/keys/secret";
import {
  hasTaskset,
  measure,
  pinSelf,
  signInCookie,
  startServer,
  stopServer,
  table,
  type Measure,
  writeResult,
} from "./lib";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PORT = Number(process.env.BENCH_PORT ?? 3251);
const SERVERS = (process.env.BENCH_SERVERS ?? "standalone,mounted").split(",");
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
const SERVER_CPU = "0";
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
const common = {
  SEED_DEMO: "1",
  BENCH_ROUTES: "1",
  IN_PROCESS_WORKER: "0",
  RATE_LIMIT_PER_MINUTE: "100000000",
  AUTH_FAILURES_PER_MINUTE: "100000000",
  MAX_UNFINISHED_JOBS_PER_KEY: "100000000",
  BETTER_AUTH_SECRET: "bench-only-secret-0123456789abcdef",
};
const JOB = JSON.stringify({ product: "text-to-image", prompt: "bench" });

type Route = {
  name: string;
  path: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  perRequest?: () => Record<string, string>;
};

async function topUp(customerId: string, credits: number) {
  if (!process.env.DATABASE_URL) return;
  const { getDb } = await import("../lib/server/db/client");
  const { credit } = await import("../lib/server/billing/ledger");
  const db = await getDb();
  await db.transaction((tx) => credit(tx, customerId, credits, "adjustment", { note: "bench credits" }));
}

/** A key of the demo customer, made through the console's own route. */
async function createKey(base: string, cookie: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/keys`, {
    method: "POST",
    headers: { cookie, origin: new URL(base).origin, "content-type": "application/json" },
    body: JSON.stringify({ name: `bench ${new Date().toISOString()}` }),
  });
  if (res.status !== 201) throw new Error(`POST /keys: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { secret: string }).secret;
}

function routes(base: string, cookie: string, secret: string, mounted: boolean): Route[] {
  const key = { authorization: `Bearer ${secret}` };
  const session = { cookie };
  const post = { origin: new URL(base).origin, "content-type": "application/json" };
  const all: Route[] = [
    { name: "noop (baseline)", path: "/api/v1/__bench/noop" },
    { name: "GET /balance (key)", path: "/api/v1/balance", headers: key },
    { name: "GET /jobs?limit=25 (key)", path: "/api/v1/jobs?limit=25", headers: key },
    {
      name: "POST /jobs (key)",
      path: "/api/v1/jobs",
      method: "POST",
      headers: { ...key, ...post },
      body: JOB,
    },
    {
      name: "POST /jobs + Idempotency-Key (key)",
      path: "/api/v1/jobs",
      method: "POST",
      headers: { ...key, ...post },
      body: JOB,
      perRequest: () => ({ "idempotency-key": randomUUID() }),
    },
    {
      name: "401 unknown key",
      path: "/api/v1/balance",
      headers: { authorization: `Bearer ${generateSecret()}` },
    },
    { name: "GET /balance (session)", path: "/api/v1/balance", headers: session },
    {
      name: "POST /jobs (session)",
      path: "/api/v1/jobs",
      method: "POST",
      headers: { ...session, ...post },
      body: JOB,
    },
  ];
  // Next's own overhead dominates there: the rows the goals name, not the whole list again.
  const mountedRows = new Set([
    "noop (baseline)",
    "GET /balance (key)",
    "POST /jobs (key)",
    "GET /balance (session)",
    "POST /jobs (session)",
  ]);
  return all.filter((r) => (!mounted || mountedRows.has(r.name)) && (!ONLY || ONLY.test(r.name)));
}

async function suite(base: string, mounted: boolean, baseline?: string): Promise<Measure[][]> {
  const servers = baseline ? [base, baseline] : [base];
  const lists = await Promise.all(
    servers.map(async (url) => {
      const cookie = await signInCookie(url, "demo@example.com", "demo-password-1");
      return routes(url, cookie, await createKey(url, cookie), mounted);
    }),
  );
  const out: Measure[][] = servers.map(() => []);
  for (let i = 0; i < lists[0]!.length; i++) {
    // With a baseline: the baseline first, then this tree, route by route.
    for (const s of [...servers.keys()].reverse()) {
      const route = lists[s]![i]!;
      const m = await measure(route.name, {
        url: `${servers[s]}${route.path}`,
        method: route.method,
        headers: route.headers,
        body: route.body,
        perRequest: route.perRequest,
        seconds: SECONDS,
        warmupSeconds: WARMUP,
        connections: CONNECTIONS,
      });
      const who = s === 1 ? " [baseline server]" : "";
      console.log(
        `  ${route.name}${who}: ${m.rps} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, non-2xx ${m.non2xx}`,
      );
      out[s]!.push(m);
    }
  }
  return out;
}

async function floor(mode: "json" | "pg", port: number): Promise<Measure> {
  const server = await startServer(
    `floor ${mode}`,
    ["bench/floors.ts"],
    { FLOOR: mode, FLOOR_PORT: `${port}` },
    `http://127.0.0.1:${port}/`,
    SERVER_CPU,
  );
  try {
    const name = mode === "json" ? "floor: node:http JSON" : "floor: node:http + pg SELECT 1";
    const m = await measure(name, {
      url: `http://127.0.0.1:${port}/`,
      seconds: SECONDS,
      warmupSeconds: WARMUP,
      connections: CONNECTIONS,
    });
    console.log(`  ${name}: ${m.rps} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms`);
    return m;
  } finally {
    await stopServer(server);
  }
}

function nextBuildPresent(): boolean {
  return fs.existsSync(path.join(process.cwd(), process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"));
}

async function main() {
  const db = process.env.DATABASE_URL ? "postgres" : "pglite";
  const cpus = os.cpus().length;
  const pinned = pinSelf(cpus > 2 ? `1-${cpus - 1}` : "1");
  const started = Date.now();
  const results: Record<string, Measure[]> = {};
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "genmedia-bench-"));
  console.log(
    `API throughput: ${db}, limiter ${process.env.REDIS_URL ? "redis" : "in-process"}, ${CONNECTIONS} connections, ` +
      `${WARMUP} s warm-up + ${SECONDS} s per route, ${os.cpus().length} cores, ` +
      (pinned ? `servers on CPU ${SERVER_CPU}, autocannon on CPU 1+` : "no CPU pinning") +
      `, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
  );

  const floors = [await floor("json", PORT + 2)];
  if (process.env.DATABASE_URL) floors.push(await floor("pg", PORT + 3));
  results.floors = floors;

  if (SERVERS.includes("standalone")) {
    const standalone = await startServer(
      "standalone API",
      ["lib/server/api/server.ts"],
      {
        ...common,
        API_PORT: `${PORT}`,
        APP_URL: `http://localhost:${PORT}`,
        DATA_DIR: path.join(tmp, "api"),
      },
      `http://localhost:${PORT}/api/v1/health`,
      SERVER_CPU,
      NODE_ARGS,
    );
    const baselineDir = process.env.BENCH_BASELINE_DIR;
    const baseline = baselineDir
      ? await startServer(
          "baseline standalone API",
          ["lib/server/api/server.ts"],
          {
            ...common,
            API_PORT: `${PORT + 4}`,
            APP_URL: `http://localhost:${PORT + 4}`,
            DATA_DIR: path.join(tmp, "baseline"),
          },
          `http://localhost:${PORT + 4}/api/v1/health`,
          SERVER_CPU,
          NODE_ARGS,
          baselineDir,
        )
      : undefined;
    try {
      await topUp("cus_demo", 100_000_000);
      console.log("standalone (npm run api)");
      const [current, before] = await suite(
        `http://localhost:${PORT}`,
        false,
        baseline ? `http://localhost:${PORT + 4}` : undefined,
      );
      results.standalone = current!;
      if (before) results["standalone, baseline"] = before;
    } finally {
      await stopServer(standalone);
      if (baseline) await stopServer(baseline);
    }
  }

  if (SERVERS.includes("mounted") && !nextBuildPresent()) {
    console.log("mounted in Next: skipped (no production build; `npx next build` first)");
  } else if (SERVERS.includes("mounted")) {
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
      SERVER_CPU,
      NODE_ARGS,
    );
    try {
      await topUp("cus_demo", 100_000_000);
      console.log("mounted in Next (server.ts)");
      results.mounted = (await suite(`http://localhost:${PORT + 1}`, true))[0]!;
    } finally {
      await stopServer(mounted);
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  const json = floors[0]!.rps;
  const pg = floors[1]?.rps;
  const rows: (string | number)[][] = [
    ["server", "route", "req/s", "p50 ms", "p99 ms", "÷ noop", "÷ http floor", "÷ pg floor", "non-2xx"],
  ];
  for (const [server, list] of Object.entries(results)) {
    const noop = list.find((m) => m.name === "noop (baseline)")?.rps;
    for (const m of list) {
      rows.push([
        server,
        m.name,
        m.rps,
        m.p50,
        m.p99,
        noop ? (m.rps / noop).toFixed(3) : "",
        (m.rps / json).toFixed(3),
        pg ? (m.rps / pg).toFixed(3) : "",
        m.non2xx,
      ]);
    }
  }
  console.log(`\n${table(rows)}\n\n(${Math.round((Date.now() - started) / 1000)} s)`);
  writeResult("api-throughput", {
    database: db,
    limiter: process.env.REDIS_URL ? "redis" : "memory",
    connections: CONNECTIONS,
    seconds: SECONDS,
    cores: os.cpus().length,
    pinned: pinned ? { servers: SERVER_CPU, autocannon: "the other cores" } : null,
    baseline: process.env.BENCH_BASELINE_DIR ?? null,
    taskset: hasTaskset,
    load: os.loadavg(),
    results,
  });
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
