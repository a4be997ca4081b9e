/**
 * POST /keys/{id}/allowlist-preview's work (previewAllowlists: the key look-up, the (ip, origin)
 * aggregate of the key's last 7 days from the hourly rollup, the matcher over each pair) for a key with 1,000,000 logged
 * requests, on real Postgres. Budget: ≤ 300 ms. Reports p50/p95 and the aggregate's EXPLAIN ANALYZE.
 *
 *   DATABASE_URL=postgres://…/db npx tsx bench/allowlist-preview.ts
 *
 * Uses a fresh database `<db>_preview` on DATABASE_URL's server (dropped and re-created), seeds the
 * rows in one generate_series INSERT (BENCH_ROWS of the key, default 1,000,000, and as many of another
 * key; BENCH_IPS distinct client IPs, default 3,000, each with up to 6 origins, one of them none),
 * VACUUM ANALYZEs as autovacuum would, and
 * writes bench/results/allowlist-preview.json. A timing here is the machine's: run it on a quiet one.
 */
import os from "node:os";
import { Pool } from "pg";
import { freshDatabase } from "../tests/support/fresh-database";
import { percentile, table, writeResult } from "./lib";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const IPS = Number(process.env.BENCH_IPS ?? 3_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const CUSTOMER = "cus_demo";
const KEY = "key_bench_preview";

async function main() {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    console.error("bench/allowlist-preview: set DATABASE_URL to a real Postgres.");
    process.exit(2);
  }
  process.env.DATABASE_URL = await freshDatabase(adminUrl, "preview");
  process.env.SEED_DEMO = "1";
  process.env.REDIS_URL = "";
  process.env.BETTER_AUTH_SECRET ??= "bench-only-secret-0123456789abcdef";
  // After DATABASE_URL points at the fresh database: the app's modules read it once.
  const { getDb } = await import("@/lib/server/db/client");
  const { keyTrafficQuery, previewAllowlists } = await import("@/lib/server/keys/preview");
  const { shutdown } = await import("@/lib/server/lifecycle");
  await getDb(); // migrated and seeded
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  try {
    await pool.query(
      `insert into api_keys (id, customer_id, name, prefix) values ($1, $2, 'bench', 'sk_live_bnch')`,
      [KEY, CUSTOMER],
    );
    const t0 = performance.now();
    // 2 × ROWS rows in time order over the last 164 hours (as traffic arrives, so the indexes grow at their
    // right edge): the odd ones are the key's, the even ones another key's (the table is never one key's).
    // The key's row: one of IPS addresses in 10.0.0.0/16 or 100.64.0.0/16, an origin or none.
    await pool.query(
      `insert into request_log (request_id, at, method, path, status, customer_id, key_id, key_prefix, ip,
                                origin, duration_ms)
       select 'req_bench_' || n, now() - interval '164 hours' + (n * 590400.0 / (2 * $4)) * interval '1 second',
              'GET', '/api/v1/products', 200, $1,
              case when n % 2 = 1 then $2 else 'key_bench_other' end, 'sk_live_bnch',
              case when n % 7 = 0 then '100.64.' else '10.0.' end || ((n % $3) / 256) || '.' || ((n % $3) % 256),
              case n % 6 when 0 then null else 'https://app' || (n % 6) || '.example.com' end,
              3
         from generate_series(1, 2 * $4::bigint) as n`,
      [CUSTOMER, KEY, IPS, ROWS],
    );
    // The hourly and daily rollups the request-log writer keeps as it inserts (built here as migrations
    // 0010 and 0011 do).
    await pool.query(
      `insert into request_log_hourly (key_id, hour, ip, origin, requests, last_at)
       select key_id, date_trunc('hour', at, 'UTC'), ip, origin, count(*), max(at)
         from request_log where key_id is not null group by 1, 2, 3, 4`,
    );
    await pool.query(
      `insert into request_log_daily (key_id, day, ip, origin, requests, last_at)
       select key_id, date_trunc('day', hour, 'UTC'), ip, origin, sum(requests), max(last_at)
         from request_log_hourly group by 1, 2, 3, 4`,
    );
    const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
    await pool.query("vacuum analyze request_log");
    await pool.query("vacuum analyze request_log_hourly");
    await pool.query("vacuum analyze request_log_daily");
    console.log(
      `seeded ${ROWS.toLocaleString("en-US")} requests of ${KEY} (and as many of another key) in ${seedSeconds} s`,
    );

    // A tightening that refuses a real share: 100.64/16 and two of the five origins go.
    const body = {
      allowed_ips: ["10.0.0.0/16"],
      allowed_origins: ["https://app1.example.com", "https://app2.example.com", "https://app3.example.com"],
    };
    const times: number[] = [];
    let last;
    for (let i = 0; i < SAMPLES + 5; i++) {
      const s = performance.now();
      last = await previewAllowlists(CUSTOMER, KEY, body);
      if (i >= 5) times.push(performance.now() - s); // five warm up
    }
    if (last!.total_requests !== ROWS) throw new Error(`preview saw ${last!.total_requests} requests`);

    const db = await getDb();
    const query = keyTrafficQuery(db, KEY, new Date(Date.now() - 7 * 24 * 3600 * 1000)).toSQL();
    const { rows } = await pool.query<{ "QUERY PLAN": string }>(
      `explain (analyze, buffers, costs off) ${query.sql}`,
      query.params,
    );
    const plan = rows.map((r) => r["QUERY PLAN"]);
    const result = {
      rows: ROWS,
      other_key_rows: ROWS,
      load_average: os.loadavg().map((l) => Math.round(l * 10) / 10),
      distinct_ips: IPS,
      samples: SAMPLES,
      p50_ms: percentile(times, 50),
      p95_ms: percentile(times, 95),
      max_ms: Math.round(Math.max(...times)),
      budget_ms: 300,
      refused: last!.refused,
      rollup_rows: Number(
        (
          await pool.query(
            `select (select count(*) from request_log_hourly where key_id = $1)
                  + (select count(*) from request_log_daily where key_id = $1) as n`,
            [KEY],
          )
        ).rows[0].n,
      ),
      rollup_index_scan: plan.some((l) => /using request_log_(hourly|daily)_key_\w+_ip_origin/.test(l)),
      seq_scan: plan.some((l) => /Seq Scan/.test(l)),
      plan,
    };
    console.log(plan.join("\n"));
    console.log(
      table([
        ["rows", "p50 ms", "p95 ms", "max ms", "refused requests", "refused IPs"],
        [ROWS, result.p50_ms, result.p95_ms, result.max_ms, last!.refused.requests, last!.refused.ips],
      ]),
    );
    writeResult("allowlist-preview", result);
  } finally {
    await pool.end();
    await shutdown();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
