/**
 * GET /jobs on 1,000,000 jobs of one customer, through the standalone API on real Postgres: page 1 vs
 * page 10,000 (limit 100, keyset cursor), as latency and its ratio, and the EXPLAIN of each list
 * filter, which must be an index scan however deep the page.
 *
 *   DATABASE_URL=postgres://…/db npx tsx bench/jobs-pagination.ts      (npm run bench:pagination)
 *
 * Uses a fresh database `<db>_pagination` on DATABASE_URL's server (dropped and re-created), seeds the
 * jobs in one generate_series INSERT with ids whose ULID time equals created_at (as the API writes
 * them), and writes bench/results/jobs-pagination.json. BENCH_JOBS (default 1,000,000) and
 * BENCH_API_PORT (default 3253) adjust it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Pool } from "pg";
import { freshDatabase } from "../tests/support/fresh-database";
import { encodeTime } from "ulid";
import { measure, signInCookie, startServer, stopServer, table } from "./lib";

const JOBS = Number(process.env.BENCH_JOBS ?? 1_000_000);
const LIMIT = 100;
const PORT = Number(process.env.BENCH_API_PORT ?? 3253);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const CUSTOMER = "cus_demo";
const base = `http://127.0.0.1:${PORT}`;

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * One INSERT … SELECT generate_series: job n is created at base + n ms, its id `job_` + the ULID
 * time of that instant (Crockford base32, 10 chars) + 16 chars of n — unique and time-sortable.
 */
async function seed(pool: Pool): Promise<number> {
  const t0 = performance.now();
  const client = await pool.connect();
  try {
    await client.query(`
      create function pg_temp.crockford(n bigint, len int) returns text language sql immutable as $$
        select string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((n >> (5 * (len - 1 - i))) & 31)::int + 1, 1), '' order by i)
          from generate_series(0, len - 1) as i
      $$`);
    await client.query(
      `insert into jobs (id, customer_id, key_id, product_id, status, prompt, inputs, cost_credits, refunded,
                         attempts, output, error, created_at, started_at, finished_at, updated_at, run_after)
       select 'job_' || pg_temp.crockford(t, 10) || '000000' || pg_temp.crockford(n, 10),
              $1,
              case when n % 3 = 0 then 'key_bench' end,
              case n % 10 when 0 then 'image-edit' when 1 then 'image-to-video' else 'text-to-image' end,
              s,
              'bench job ' || n,
              '{}'::jsonb,
              10,
              s in ('failed', 'canceled'),
              1,
              case when s = 'succeeded' then jsonb_build_object('storage_key', 'outputs/bench/' || n || '.png',
                   'content_type', 'image/png', 'width', 64, 'height', 64, 'bytes', 100) end,
              case when s = 'failed' then '{"code": "generation_failed", "message": "bench"}'::jsonb end,
              at, at, at, at, at
         from (select n, t, timestamptz 'epoch' + t * interval '1 millisecond' as at,
                      case when n % 20 = 0 then 'failed' when n % 20 = 1 then 'canceled' else 'succeeded' end as s
                 from (select n, (extract(epoch from now()) * 1000)::bigint - $2::bigint + n as t
                         from generate_series(1, $2::bigint) as n) as g) as rows`,
      [CUSTOMER, JOBS],
    );
    await client.query("analyze jobs");
  } finally {
    client.release();
  }
  return round2((performance.now() - t0) / 1000);
}

/** Sequential request latencies (one at a time, first and deep interleaved so drift hits both). */
async function latencies(urls: Record<string, string>, cookie: string) {
  const out: Record<string, number[]> = Object.fromEntries(Object.keys(urls).map((k) => [k, []]));
  for (let i = 0; i < SAMPLES + 10; i++) {
    for (const [name, url] of Object.entries(urls)) {
      const t0 = performance.now();
      const res = await fetch(url, { headers: { cookie } });
      const body = (await res.json()) as { data?: unknown[] };
      const ms = performance.now() - t0;
      if (res.status !== 200 || body.data?.length !== LIMIT) throw new Error(`${name}: ${res.status}`);
      if (i >= 10) out[name]!.push(ms); // the first ten warm up
    }
  }
  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (p: number) => round2(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
  };
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, stats(v)]));
}

async function main() {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    console.error("bench/jobs-pagination: set DATABASE_URL to a real Postgres.");
    process.exit(2);
  }
  const started = performance.now();
  const databaseUrl = await freshDatabase(adminUrl, "pagination");
  const server = await startServer(
    "standalone API",
    ["lib/server/api/server.ts"],
    {
      DATABASE_URL: databaseUrl,
      REDIS_URL: "",
      SEED_DEMO: "1",
      API_PORT: String(PORT),
      HOST: "127.0.0.1",
      APP_URL: base,
      RATE_LIMIT_PER_MINUTE: "100000000",
      BETTER_AUTH_SECRET: "bench-only-secret-0123456789abcdef",
    },
    `${base}/api/v1/health`,
  );
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const seedSeconds = await seed(pool);
    const { rows: countRows } = await pool.query<{ n: number }>(
      "select count(*)::int as n from jobs where customer_id = $1",
      [CUSTOMER],
    );
    const total = countRows[0]!.n;
    console.log(`seeded ${JOBS.toLocaleString("en-US")} jobs in ${seedSeconds} s (${total} for ${CUSTOMER})`);

    // Page 10,000 of 100 starts after the 999,900th newest job.
    const deepPage = Math.floor(JOBS / LIMIT);
    const { rows: cursorRows } = await pool.query<{ id: string }>(
      "select id from jobs where customer_id = $1 order by id desc offset $2 limit 1",
      [CUSTOMER, (deepPage - 1) * LIMIT - 1],
    );
    const deepId = cursorRows[0]!.id;
    const cursor = Buffer.from(`j:${deepId}`).toString("base64url");
    const { rows: statusRows } = await pool.query<{ id: string }>(
      "select id from jobs where customer_id = $1 and status = 'failed' order by id desc offset $2 limit 1",
      [CUSTOMER, Math.floor(JOBS / 20) - LIMIT - 1],
    );
    const statusCursor = Buffer.from(`j:${statusRows[0]!.id}`).toString("base64url");

    const cookie = await signInCookie(base, "demo@example.com", "demo-password-1");
    const urls = {
      "page 1": `${base}/api/v1/jobs?limit=${LIMIT}`,
      [`page ${deepPage.toLocaleString("en-US")}`]: `${base}/api/v1/jobs?limit=${LIMIT}&cursor=${cursor}`,
      "status=failed, page 1": `${base}/api/v1/jobs?limit=${LIMIT}&status=failed`,
      "status=failed, last page": `${base}/api/v1/jobs?limit=${LIMIT}&status=failed&cursor=${statusCursor}`,
    };
    const sequential = await latencies(urls, cookie);
    const names = Object.keys(urls);
    const loaded = [];
    for (const name of names.slice(0, 2)) {
      loaded.push(await measure(name, { url: urls[name]!, headers: { cookie }, seconds: 5, connections: 8 }));
    }

    // EXPLAIN of each filter as listJobRows builds it (customer + filter + keyset, newest first).
    // The time filters as list.ts turns them into id ranges on the keyset index.
    const middle = Date.now() - Math.floor(JOBS / 2);
    const after = new Date(middle).toISOString();
    const firstIdAt = (ms: number) => `job_${encodeTime(ms, 10)}${"0".repeat(16)}`;
    const filters: Record<string, string> = {
      none: "",
      status: "and status = 'failed'",
      product: "and product_id = 'image-edit'",
      key_id: "and key_id = 'key_bench'",
      created_after: `and created_at > '${after}' and id >= '${firstIdAt(middle + 1)}'`,
      created_before: `and created_at < '${after}' and id < '${firstIdAt(middle)}'`,
    };
    const pages = { "page 1": "", "deep (cursor)": `and id < '${deepId}'` };
    const explains: Record<string, { index_scan: boolean; plan: string[]; execution_ms: number }> = {};
    for (const [name, where] of Object.entries(filters)) {
      for (const [page, keyset] of Object.entries(pages)) {
        const { rows } = await pool.query<{ "QUERY PLAN": string }>(
          `explain (analyze, costs off, timing off) select * from jobs where customer_id = '${CUSTOMER}'
             ${where} ${keyset} order by id desc limit ${LIMIT + 1}`,
        );
        const plan = rows.map((r) => r["QUERY PLAN"]);
        explains[`${name}, ${page}`] = {
          index_scan:
            plan.some((l) => /Index (Only )?Scan/.test(l)) && !plan.some((l) => /Seq Scan|Sort/.test(l)),
          plan,
          execution_ms: Number(/Execution Time: ([\d.]+)/.exec(plan.join("\n"))?.[1] ?? NaN),
        };
      }
    }

    const first = sequential[names[0]!]!;
    const deepStats = sequential[names[1]!]!;
    const ratio = round2(deepStats.p50 / first.p50);
    const rows = [["request", "p50 ms", "p90 ms", "p99 ms"]] as (string | number)[][];
    for (const [name, s] of Object.entries(sequential)) rows.push([name, s.p50, s.p90, s.p99]);
    console.log(
      `\nGET /jobs on ${total.toLocaleString("en-US")} jobs, limit ${LIMIT}, ${SAMPLES} sequential requests each\n`,
    );
    console.log(table(rows));
    console.log(`\npage ${deepPage} / page 1 (p50): ${ratio}`);
    console.log(
      table([
        ["under load (8 connections, 5 s)", "req/s", "p50 ms", "p99 ms"],
        ...loaded.map((m) => [m.name, m.rps, m.p50, m.p99]),
      ]),
    );
    for (const [name, e] of Object.entries(explains))
      console.log(
        `EXPLAIN ${name}: ${e.index_scan ? "index scan" : "NOT an index scan"} (${e.execution_ms} ms)`,
      );

    const { rows: versionRows } = await pool.query<{ version: string }>("select version()");
    const out = path.join(import.meta.dirname, "results", "jobs-pagination.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          postgres: versionRows[0]!.version,
          machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, node: process.version },
          jobs: total,
          limit: LIMIT,
          seed_seconds: seedSeconds,
          samples: SAMPLES,
          sequential_latency_ms: sequential,
          deep_over_first_p50: ratio,
          under_load: loaded,
          explain: explains,
          total_seconds: round2((performance.now() - started) / 1000),
        },
        null,
        2,
      )}\n`,
    );
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
    const bad = Object.entries(explains).filter(([, e]) => !e.index_scan);
    if (bad.length) {
      console.error(`not an index scan: ${bad.map(([n]) => n).join(", ")}`);
      process.exitCode = 1;
    }
  } finally {
    await pool.end();
    await stopServer(server);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
