import { and, eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { autoRechargesSettled } from "@/lib/server/billing/auto-recharge";
import { credit, debit } from "@/lib/server/billing/ledger";
import { getDb } from "@/lib/server/db/client";
import { customers, ledgerEntries, topUpPacks, topUps } from "@/lib/server/db/schema";
import { insertJob } from "@/lib/server/jobs/create";
import { type DomainError } from "@/lib/server/errors";
import { newId } from "@/lib/server/ids";
import { expectLedgerExact } from "../support/billing";

/**
 * Auto-recharge races that only a real Postgres can show (PGlite runs one query at a time): many
 * debits crossing the threshold at once start exactly one recharge, and the monthly cap holds while
 * recharges settle in the middle of the race. Run with DATABASE_URL.
 */

const TRIALS = Number(process.env.AUTO_RECHARGE_TRIALS ?? 1_000);
const TRIAL_LANES = Number(process.env.AUTO_RECHARGE_LANES ?? 4);

type Setting = { threshold: number; pack: string; capCents: number; enabled?: boolean };

async function rechargingCustomer(credits: number, s: Setting, monthCents = 0): Promise<string> {
  const db = await getDb();
  const id = newId("cus");
  await db.insert(customers).values({
    id,
    name: `recharge race ${id}`,
    autoRechargeEnabled: s.enabled ?? true,
    autoRechargeThreshold: s.threshold,
    autoRechargePack: s.pack,
    autoRechargeCapCents: s.capCents,
    autoRechargeMonth: sql`(date_trunc('month', now() at time zone 'utc'))::date`,
    autoRechargeMonthCents: monthCents,
  });
  if (credits > 0) await db.transaction((tx) => credit(tx, id, credits, "adjustment", { note: "trial" }));
  return id;
}

async function rechargesOf(customerId: string) {
  const db = await getDb();
  return db
    .select()
    .from(topUps)
    .where(and(eq(topUps.customerId, customerId), eq(topUps.trigger, "auto_recharge")));
}

async function stateOf(customerId: string) {
  const db = await getDb();
  const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
  return row!;
}

describe.skipIf(!process.env.DATABASE_URL)("auto-recharge on real Postgres", () => {
  it("200 job charges racing across the threshold start exactly one recharge; balance = Σ ledger", async () => {
    // 10 credits a job from 2,500: the threshold (2,000) is crossed by the 51st charge; the Scale pack
    // (10,000) lifts the balance so far that no later charge of the race goes below it again.
    const customerId = await rechargingCustomer(2_500, {
      threshold: 2_000,
      pack: "pack_scale",
      capCents: 1_000_000,
    });
    const db = await getDb();
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        insertJob(
          db,
          { customerId, keyId: null, requestId: null },
          { product: "text-to-image", prompt: `race ${i}` },
          null,
          20,
        ),
      ),
    );
    await autoRechargesSettled();
    const elapsed = Date.now() - started;
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(200);
    const recharges = await rechargesOf(customerId);
    expect(recharges).toHaveLength(1);
    expect(recharges[0]!.status).toBe("succeeded");
    expect(recharges[0]!.jobId).toMatch(/^job_/);
    const tops = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.customerId, customerId), eq(ledgerEntries.kind, "top_up")));
    expect(tops).toHaveLength(1);
    expect(tops[0]).toMatchObject({ credits: 10_000, trigger: "auto_recharge", topUpId: recharges[0]!.id });
    expect(await expectLedgerExact(customerId)).toBe(2_500 - 200 * 10 + 10_000);
    const state = await stateOf(customerId);
    expect(state.autoRechargeTopUpId).toBeNull();
    expect(state.autoRechargeMonthCents).toBe(8_000);
    console.log(`auto-recharge race: 200 job charges, 1 recharge, ${elapsed} ms`);
  }, 60_000);

  it(`the monthly cap holds across ${TRIALS} randomized races with recharges settling mid-race`, async () => {
    const db = await getDb();
    const packs = await db.select().from(topUpPacks).where(eq(topUpPacks.active, true));
    const started = Date.now();
    let trials = 0;
    let totalRecharges = 0;
    let capReached = 0;
    // The trials race on their own customers, so TRIAL_LANES of them run at once (each still a race of
    // its debits on one customer's row); a failure names its trial and the seed that replays it.
    const seed = Number(process.env.AUTO_RECHARGE_SEED ?? Date.now() % 2 ** 31);
    const samples = fc.sample(
      fc.record({
        price: fc.integer({ min: 1, max: 200 }),
        start: fc.integer({ min: 0, max: 3_000 }),
        threshold: fc.integer({ min: 0, max: 3_000 }),
        pack: fc.constantFrom(...packs),
        failRate: fc.integer({ min: 0, max: 9 }),
        capPacks: fc.integer({ min: 0, max: 6 }),
        capExtra: fc.integer({ min: 0, max: 999 }),
        spentPacks: fc.integer({ min: 0, max: 3 }),
        debits: fc.integer({ min: 5, max: 60 }),
      }),
      { numRuns: TRIALS, seed },
    );
    const runTrial = async (t: (typeof samples)[number]) => {
      trials++;
      const fail = t.failRate === 0; // one trial in ten with the test trigger
      const capCents = t.capPacks * t.pack.priceCents + t.capExtra;
      const spent = Math.min(capCents, t.spentPacks * t.pack.priceCents);
      const customerId = await rechargingCustomer(
        t.start,
        { threshold: t.threshold, pack: fail ? `${t.pack.id}!fail` : t.pack.id, capCents },
        spent,
      );
      const results = await Promise.allSettled(
        Array.from({ length: t.debits }, () =>
          // One statement each, committed on its own (as a job's charge is): its row lock is held
          // for that statement only, not across a BEGIN/COMMIT round trip.
          debit(db, customerId, t.price, { kind: "adjustment" }),
        ),
      );
      await autoRechargesSettled();
      for (const r of results) {
        if (r.status === "rejected") expect((r.reason as DomainError).code).toBe("insufficient_balance");
      }
      const recharges = await rechargesOf(customerId);
      const succeeded = recharges.filter((r) => r.status === "succeeded");
      const failed = recharges.filter((r) => r.status === "failed");
      totalRecharges += recharges.length;
      // Never past the cap: what was there before plus what succeeded.
      const charged = succeeded.reduce((s, r) => s + r.priceCents, 0);
      expect(spent + charged).toBeLessThanOrEqual(capCents);
      if (spent + charged + t.pack.priceCents > capCents) capReached++;
      const state = await stateOf(customerId);
      expect(state.autoRechargeMonthCents).toBe(spent + charged);
      expect(state.autoRechargeTopUpId).toBeNull();
      expect(recharges.every((r) => r.status !== "pending")).toBe(true);
      if (fail) {
        // The first failure turns it off: at most one charge is ever tried.
        expect(succeeded).toHaveLength(0);
        expect(failed.length).toBeLessThanOrEqual(1);
        if (failed.length) {
          expect(state.autoRechargeEnabled).toBe(false);
          expect(state.autoRechargeDisabledReason).toContain("declined");
        }
      } else {
        expect(failed).toHaveLength(0);
      }
      // A debit that went below the threshold with room under the cap started one.
      const ok = results.filter((r) => r.status === "fulfilled");
      const wentBelow = ok.some(
        (r) => (r as PromiseFulfilledResult<{ balanceAfter: number }>).value.balanceAfter < t.threshold,
      );
      if (wentBelow && spent + t.pack.priceCents <= capCents) expect(recharges.length).toBeGreaterThan(0);
      // Each recharge's ledger row: one per succeeded top-up, none for a failed one.
      const tops = await db
        .select({ topUpId: ledgerEntries.topUpId })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.customerId, customerId), eq(ledgerEntries.kind, "top_up")));
      expect(tops.map((r) => r.topUpId).sort()).toEqual(succeeded.map((r) => r.id).sort());
      await expectLedgerExact(customerId);
    };
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < samples.length; i = next++) {
        try {
          await runTrial(samples[i]!);
        } catch (error) {
          throw new Error(`trial ${i} of AUTO_RECHARGE_SEED=${seed} failed: ${JSON.stringify(samples[i])}`, {
            cause: error,
          });
        }
      }
    };
    await Promise.all(Array.from({ length: TRIAL_LANES }, lane));
    expect(trials).toBe(TRIALS);
    console.log(
      `auto-recharge cap: ${TRIALS} trials, ${totalRecharges} recharges, cap reached in ${capReached}, ${Date.now() - started} ms`,
    );
  }, 600_000);
});
