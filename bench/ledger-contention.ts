/**
 * Debit throughput on real Postgres: 50 concurrent debits on ONE customer (every one waits on the same
 * balance row) against 50 concurrent debits spread over 50 customers (no row contention), and the ratio.
 * Each debit is the ledger module's own transaction: guarded UPDATE … RETURNING + the ledger row.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/ledger-contention.ts [debits-per-round=1500]
 *
 * Writes bench/results/ledger-contention.json. Needs DATABASE_URL (PGlite runs one query at a time, so
 * contention cannot be measured there).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { Pool } from "pg";
import { credit, debit } from "../lib/server/billing/ledger";
import { getDb, type Db } from "../lib/server/db/client";
import { customers } from "../lib/server/db/schema";
import * as schema from "../lib/server/db/schema";
import { shutdown } from "../lib/server/lifecycle";
import { newId } from "../lib/server/ids";

const CONCURRENCY = 50;
const TOTAL = Number(process.argv[2] ?? 1500);
const WARMUP = 500;

type Result = {
  scenario: string;
  customers: number;
  concurrency: number;
  debits: number;
  seconds: number;
  debits_per_second: number;
  p50_ms: number;
  p99_ms: number;
  refused: number;
};

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      "bench/ledger-contention: set DATABASE_URL to a real Postgres (PGlite cannot show contention).",
    );
    process.exit(2);
  }
  await getDb(); // migrates the schema once, through the app's own path
  // A pool as wide as the concurrency, so the database (not the pool) decides who waits.
  const pool = new Pool({ connectionString: url, max: CONCURRENCY + 2 });
  const db = drizzle(pool, { schema }) as unknown as Db;

  const makeCustomers = async (n: number) => {
    const ids = Array.from({ length: n }, () => newId("cus"));
    await db.insert(customers).values(ids.map((id) => ({ id, name: `bench ${id}` })));
    for (const id of ids) {
      await db.transaction((tx) => credit(tx, id, 1_000_000_000, "adjustment", { note: "bench" }));
    }
    return ids;
  };

  async function round(scenario: string, ids: string[], debits: number): Promise<Result> {
    let next = 0;
    let refused = 0;
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        const customerId = ids[worker % ids.length]!;
        while (next < debits) {
          next++;
          const s = performance.now();
          try {
            await db.transaction((tx) => debit(tx, customerId, 1, { kind: "adjustment", note: "bench" }));
          } catch {
            refused++;
          }
          latencies.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
    return {
      scenario,
      customers: ids.length,
      concurrency: CONCURRENCY,
      debits,
      seconds: round2(seconds),
      debits_per_second: Math.round(debits / seconds),
      p50_ms: round2(pct(0.5)),
      p99_ms: round2(pct(0.99)),
      refused,
    };
  }

  const one = await makeCustomers(1);
  const many = await makeCustomers(CONCURRENCY);
  await round("warm-up", many, WARMUP);
  await round("warm-up", one, WARMUP);

  // Interleave the two scenarios (three rounds each) so drift in the machine hits both alike; keep the median.
  const contended: Result[] = [];
  const uncontended: Result[] = [];
  for (let i = 0; i < 3; i++) {
    uncontended.push(await round("uncontended: 50 concurrent, 50 customers", many, TOTAL));
    contended.push(await round("contended: 50 concurrent, 1 customer", one, TOTAL));
  }
  const median = (rs: Result[]) => [...rs].sort((a, b) => a.debits_per_second - b.debits_per_second)[1]!;
  const u = median(uncontended);
  const c = median(contended);
  const ratio = round2(c.debits_per_second / u.debits_per_second);

  const [{ version }] = (await pool.query("select version()")).rows as [{ version: string }];
  console.table(
    [u, c].map(({ scenario, debits_per_second, p50_ms, p99_ms, debits, refused }) => ({
      scenario,
      "debits/s": debits_per_second,
      "p50 ms": p50_ms,
      "p99 ms": p99_ms,
      debits,
      refused,
    })),
  );
  console.log(`contended / uncontended throughput: ${ratio}`);

  const out = path.join(import.meta.dirname, "results", "ledger-contention.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        postgres: version,
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, node: process.version },
        concurrency: CONCURRENCY,
        debits_per_round: TOTAL,
        rounds: 3,
        uncontended: u,
        contended: c,
        contended_over_uncontended: ratio,
        all_rounds: { uncontended, contended },
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
  await pool.end();
  await shutdown();
}

function round2(n: number) {
  return Math.round(n * 100) / 100;
}

main().catch(async (error) => {
  console.error(error);
  await shutdown();
  process.exit(1);
});
