import { and, eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { credit } from "@/lib/server/billing/ledger";
import { getDb } from "@/lib/server/db/client";
import { apiKeys, customers, jobs, ledgerEntries, spendAlerts } from "@/lib/server/db/schema";
import { type DomainError } from "@/lib/server/errors";
import { newId } from "@/lib/server/ids";
import { cancelJob } from "@/lib/server/jobs/actions";
import { insertJob } from "@/lib/server/jobs/create";
import { expectLedgerExact } from "../support/billing";

/**
 * Spend limits under races that only a real Postgres can show (PGlite runs one query at a time): N job
 * charges racing against a monthly credit limit — the account's, a key's, or both, with cancels
 * refunding in the middle — never take the month's spend past a limit, and balance = Σ ledger after.
 * Run with DATABASE_URL.
 */

const TRIALS = Number(process.env.SPEND_LIMIT_TRIALS ?? 25);
const PRICE = 10; // text-to-image

const created: string[] = [];

async function limitedCustomer(credits: number, limit: number | null): Promise<string> {
  const db = await getDb();
  const id = newId("cus");
  created.push(id);
  await db.insert(customers).values({ id, name: `spend race ${id}`, monthlyCreditLimit: limit });
  if (credits > 0) await db.transaction((tx) => credit(tx, id, credits, "adjustment", { note: "trial" }));
  return id;
}

async function limitedKey(customerId: string, limit: number | null): Promise<string> {
  const db = await getDb();
  const id = newId("key");
  await db
    .insert(apiKeys)
    .values({ id, customerId, name: `spend race ${id}`, prefix: "sk_test_race", monthlyCreditLimit: limit });
  return id;
}

/** The month's spend by the ledger: job charges less their refunds. */
async function ledgerSpend(customerId: string, keyId?: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ spent: sql<string>`coalesce(-sum(${ledgerEntries.credits}), 0)` })
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.customerId, customerId),
        sql`${ledgerEntries.kind} in ('job_charge', 'job_refund')`,
        keyId ? eq(ledgerEntries.keyId, keyId) : undefined,
      ),
    );
  return Number(row!.spent);
}

async function counters(customerId: string, keyId: string) {
  const db = await getDb();
  const [c] = await db.select().from(customers).where(eq(customers.id, customerId));
  const [k] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
  return { customer: c!.spendMonthCredits, key: k!.spendMonthCredits, unfinished: k!.unfinishedJobs };
}

function create(customerId: string, keyId: string | null, i: number, queueLimit = 1_000) {
  return getDb().then((db) =>
    insertJob(
      db,
      { customerId, keyId, requestId: null },
      { product: "text-to-image", prompt: `race ${i}` },
      null,
      queueLimit,
    ),
  );
}

/**
 * Runs `count` tasks racing, at most POOL at a time — the pool's size (lib/server/db/client.ts), so
 * every one in flight holds a connection and races on the rows; none waits out the pool's connect
 * timeout behind the others on a loaded machine.
 */
const POOL = 20;
async function race<T>(count: number, task: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(count);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      try {
        results[i] = { status: "fulfilled", value: await task(i) };
      } catch (reason) {
        results[i] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(POOL, count) }, lane));
  return results;
}

function refusals(results: PromiseSettledResult<unknown>[]) {
  return results
    .filter((r): r is PromiseRejectedResult => r.status === "rejected")
    .map((r) => r.reason as DomainError);
}

describe.skipIf(!process.env.DATABASE_URL)("spend limits on real Postgres", () => {
  // The races leave queued jobs that no worker here runs; on the shared database a later file's worker
  // would take them first. Cancelled (and refunded) through the same path as the API's cancel.
  afterAll(async () => {
    const db = await getDb();
    const left = await db
      .select({ id: jobs.id, customerId: jobs.customerId })
      .from(jobs)
      .where(and(inArray(jobs.customerId, created), eq(jobs.status, "queued")));
    for (const j of left) {
      await db.transaction((tx) =>
        cancelJob(tx, { customerId: j.customerId, keyId: null, requestId: null }, j.id),
      );
    }
  }, 120_000);

  it("200 charges racing against the account's limit: exactly limit/price go through", async () => {
    const customerId = await limitedCustomer(10_000, 250);
    const keyId = await limitedKey(customerId, null);
    const started = Date.now();
    const results = await race(200, (i) => create(customerId, i % 2 ? keyId : null, i));
    const elapsed = Date.now() - started;
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(25);
    for (const e of refusals(results)) {
      expect(e.code).toBe("insufficient_balance");
      expect(e.details).toMatchObject({
        reason: "spend_limit",
        limit: "customer",
        monthly_credit_limit: 250,
      });
    }
    expect(await expectLedgerExact(customerId)).toBe(10_000 - 250);
    expect(await ledgerSpend(customerId)).toBe(250);
    const c = await counters(customerId, keyId);
    expect(c.customer).toBe(250);
    expect(c.key).toBe(await ledgerSpend(customerId, keyId));
    expect(c.unfinished).toBe(c.key / PRICE);
    const db = await getDb();
    const alerts = await db.select().from(spendAlerts).where(eq(spendAlerts.customerId, customerId));
    expect(alerts.map((a) => a.threshold).sort((a, b) => a - b)).toEqual([50, 80, 100]);
    console.log(`spend limit race (account): 200 charges, 25 through, ${elapsed} ms`);
  }, 60_000);

  it("charges racing against a key's limit and its queue cap: neither is passed", async () => {
    const customerId = await limitedCustomer(10_000, null);
    const keyId = await limitedKey(customerId, 170);
    const results = await race(100, (i) => create(customerId, keyId, i, 12));
    // The queue cap (12) binds before the key's limit (17 charges).
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(12);
    const codes = refusals(results).map((e) => e.code);
    expect(new Set(codes)).toEqual(new Set(["queue_full"]));
    // Now the queue has room and the limit binds: 5 more, then spend_limit naming the key.
    const more = await race(100, (i) => create(customerId, keyId, i, 1_000));
    expect(more.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    for (const e of refusals(more)) {
      expect(e.code).toBe("insufficient_balance");
      expect(e.details).toMatchObject({
        reason: "spend_limit",
        limit: "key",
        key_id: keyId,
        monthly_credit_limit: 170,
        month_spent_credits: 170,
      });
    }
    expect(await expectLedgerExact(customerId)).toBe(10_000 - 170);
    const c = await counters(customerId, keyId);
    expect(c).toEqual({ customer: 170, key: 170, unfinished: 17 });
  }, 60_000);

  it(`${TRIALS} randomized races of charges and cancels never pass either limit; balance = Σ ledger`, async () => {
    const db = await getDb();
    const started = Date.now();
    let through = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          credits: fc.integer({ min: 0, max: 600 }),
          customerLimit: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
          keyLimit: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
          charges: fc.integer({ min: 5, max: 60 }),
          cancels: fc.integer({ min: 0, max: 10 }),
          keyShare: fc.integer({ min: 0, max: 4 }),
        }),
        async (t) => {
          const customerId = await limitedCustomer(t.credits, t.customerLimit);
          const keyId = await limitedKey(customerId, t.keyLimit);
          // A first wave, then a second racing the cancels of some of the first wave's jobs.
          const first = await race(t.charges, (i) =>
            create(customerId, i % 5 < t.keyShare ? keyId : null, i),
          );
          const made = first.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
          const actor = { customerId, keyId: null, requestId: null };
          const cancels = made.slice(0, t.cancels);
          const second = await race(cancels.length + t.charges, (i) =>
            i < cancels.length
              ? db.transaction((tx) => cancelJob(tx, actor, cancels[i]!.id))
              : create(customerId, i % 5 < t.keyShare ? keyId : null, i),
          );
          for (const e of refusals([...first, ...second])) expect(e.code).toBe("insufficient_balance");
          through += [...first, ...second].filter((r) => r.status === "fulfilled").length;

          const balance = await expectLedgerExact(customerId);
          expect(balance).toBeGreaterThanOrEqual(0);
          const spent = await ledgerSpend(customerId);
          const keySpent = await ledgerSpend(customerId, keyId);
          if (t.customerLimit !== null) expect(spent).toBeLessThanOrEqual(t.customerLimit);
          if (t.keyLimit !== null) expect(keySpent).toBeLessThanOrEqual(t.keyLimit);
          const c = await counters(customerId, keyId);
          expect(c.customer).toBe(spent);
          expect(c.key).toBe(keySpent);
          const unfinished = await db
            .select({ id: jobs.id })
            .from(jobs)
            .where(and(eq(jobs.keyId, keyId), eq(jobs.status, "queued")));
          expect(c.unfinished).toBe(unfinished.length);
        },
      ),
      { numRuns: TRIALS },
    );
    console.log(
      `spend limit trials: ${TRIALS} trials, ${through} charges through, ${Date.now() - started} ms`,
    );
  }, 600_000);
});
