import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { BillingSettings, LedgerList, TopUp } from "@/lib/api/contract/billing.schema";
import type { Job } from "@/lib/api/contract/jobs.schema";
import { autoRechargesSettled, settleStrandedRecharges } from "@/lib/server/billing/auto-recharge";
import { debit } from "@/lib/server/billing/ledger";
import { getDb } from "@/lib/server/db/client";
import { customers, topUps } from "@/lib/server/db/schema";
import { api, json, ORIGIN } from "../support/api";
import { balanceOf, expectLedgerExact, grant, newCustomer } from "../support/billing";

type Envelope = { error: { code: string; details?: Record<string, unknown> } };

const patch = (cookie: string, body: unknown) =>
  api("/billing/settings", { method: "PATCH", headers: { cookie, origin: ORIGIN }, json: body });

const recharge = (over: Partial<Record<string, unknown>> = {}) => ({
  auto_recharge: {
    enabled: true,
    threshold_credits: 100,
    pack: "pack_starter",
    monthly_cap_cents: 1000,
    ...over,
  },
});

async function createJob(cookie: string, prompt = "a lighthouse") {
  const res = await api("/jobs", {
    method: "POST",
    headers: { cookie, origin: ORIGIN },
    json: { product: "text-to-image", prompt },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return json<Job>(res);
}

async function settings(cookie: string) {
  return json<BillingSettings>(await api("/billing/settings", { headers: { cookie } }));
}

async function autoTopUps(customerId: string) {
  const db = await getDb();
  return db
    .select()
    .from(topUps)
    .where(and(eq(topUps.customerId, customerId), eq(topUps.trigger, "auto_recharge")))
    .orderBy(topUps.createdAt);
}

describe("PATCH /billing/settings auto_recharge", () => {
  it("stores the setting and answers its state; GET shows it off by default", async () => {
    const { cookie } = await newCustomer("ar-settings");
    const before = await settings(cookie);
    expect(before.auto_recharge).toMatchObject({
      enabled: false,
      pack: null,
      month_spent_cents: 0,
      in_flight: false,
    });
    const res = await patch(
      cookie,
      recharge({ threshold_credits: 250, pack: "pack_growth", monthly_cap_cents: 5400 }),
    );
    expect(res.status).toBe(200);
    const body = await json<BillingSettings>(res);
    expect(body.auto_recharge).toEqual({
      enabled: true,
      threshold_credits: 250,
      pack: "pack_growth",
      monthly_cap_cents: 5400,
      month: new Date().toISOString().slice(0, 7),
      month_spent_cents: 0,
      in_flight: false,
      disabled_reason: null,
      disabled_at: null,
      provider: "test",
      payment_method: null,
    });
    expect(body.low_balance_credits).toBe(before.low_balance_credits);
    expect((await settings(cookie)).auto_recharge.pack).toBe("pack_growth");
  });

  // @code:invalid_pack
  it("an unknown pack is invalid_pack on auto_recharge.pack; a cap under the pack's price is invalid_request", async () => {
    const { cookie } = await newCustomer("ar-invalid");
    const unknown = await patch(cookie, recharge({ pack: "pack_nope" }));
    expect(unknown.status).toBe(400);
    const a = await json<Envelope>(unknown);
    expect(a.error.code).toBe("invalid_pack");
    expect(a.error.details?.fields).toEqual([{ path: "auto_recharge.pack", message: expect.any(String) }]);

    const suffix = await patch(cookie, recharge({ pack: "pack_starter!nope" }));
    expect((await json<Envelope>(suffix)).error.details?.fields).toEqual([
      { path: "auto_recharge.pack", message: expect.any(String) },
    ]);

    const cap = await patch(cookie, recharge({ pack: "pack_growth", monthly_cap_cents: 1799 }));
    expect(cap.status).toBe(400);
    const b = await json<Envelope>(cap);
    expect(b.error.code).toBe("invalid_request");
    expect(b.error.details?.fields).toEqual([
      { path: "auto_recharge.monthly_cap_cents", message: expect.stringContaining("1800") },
    ]);
    // Off, any cap is fine.
    expect((await patch(cookie, recharge({ enabled: false, monthly_cap_cents: 0 }))).status).toBe(200);

    const empty = await patch(cookie, {});
    expect(empty.status).toBe(400);
    expect((await json<Envelope>(empty)).error.code).toBe("invalid_request");
    expect((await settings(cookie)).auto_recharge.enabled).toBe(false);
  });
});

describe("auto-recharge in test mode", () => {
  it("a job whose charge leaves the balance below the threshold buys the pack once, linked to the job", async () => {
    const { cookie, customerId } = await newCustomer("ar-job", 115);
    expect((await patch(cookie, recharge())).status).toBe(200);
    await createJob(cookie); // 105: above the threshold
    await autoRechargesSettled();
    expect(await autoTopUps(customerId)).toHaveLength(0);
    const job = await createJob(cookie); // 95: below
    await autoRechargesSettled();
    expect(await expectLedgerExact(customerId)).toBe(595);
    const [topUp] = await autoTopUps(customerId);
    expect(topUp).toMatchObject({
      status: "succeeded",
      trigger: "auto_recharge",
      jobId: job.id,
      packId: "pack_starter",
    });

    const ledger = await json<LedgerList>(await api("/ledger", { headers: { cookie } }));
    expect(ledger.data[0]).toMatchObject({
      kind: "top_up",
      credits: 500,
      balance_after: 595,
      trigger: "auto_recharge",
      top_up_id: topUp!.id,
      job_id: job.id,
    });
    expect(ledger.data[1]).toMatchObject({ kind: "job_charge", trigger: null, job_id: job.id });
    // The job's money trail shows the recharge it caused.
    const trail = await json<LedgerList>(await api(`/ledger?job_id=${job.id}`, { headers: { cookie } }));
    expect(trail.data.map((e) => e.kind)).toEqual(["top_up", "job_charge"]);

    const dto = await json<TopUp>(await api(`/top-ups/${topUp!.id}`, { headers: { cookie } }));
    expect(dto).toMatchObject({
      trigger: "auto_recharge",
      job_id: job.id,
      failure_reason: null,
      status: "succeeded",
    });
    const state = (await settings(cookie)).auto_recharge;
    expect(state).toMatchObject({ enabled: true, month_spent_cents: 500, in_flight: false });
  });

  it("stops at the monthly cap; a new UTC month starts the count again", async () => {
    const { cookie, customerId } = await newCustomer("ar-cap", 0);
    expect((await patch(cookie, recharge({ threshold_credits: 1000, monthly_cap_cents: 1000 }))).status).toBe(
      200,
    );
    const db = await getDb();
    await grant(customerId, 50);
    for (let i = 0; i < 3; i++) {
      await db.transaction((tx) => debit(tx, customerId, 10, { kind: "adjustment" }));
      await autoRechargesSettled();
    }
    // 500 cents a pack, 1,000 a month: two recharges, the third debit found the cap reached.
    expect((await autoTopUps(customerId)).map((t) => t.status)).toEqual(["succeeded", "succeeded"]);
    expect(await expectLedgerExact(customerId)).toBe(50 - 30 + 1000);
    expect((await settings(cookie)).auto_recharge.month_spent_cents).toBe(1000);

    // The month's counter belongs to last month now: the next debit below the threshold recharges.
    await db
      .update(customers)
      .set({
        autoRechargeMonth: sql`(date_trunc('month', now() at time zone 'utc') - interval '1 month')::date`,
      })
      .where(eq(customers.id, customerId));
    expect((await settings(cookie)).auto_recharge.month_spent_cents).toBe(0);
    await db.transaction((tx) => debit(tx, customerId, 30, { kind: "adjustment" })); // 990 < 1,000
    await autoRechargesSettled();
    expect(await autoTopUps(customerId)).toHaveLength(3);
    expect((await settings(cookie)).auto_recharge.month_spent_cents).toBe(500);
    expect(await expectLedgerExact(customerId)).toBe(50 - 60 + 1500);
  });

  it("the test trigger <pack>!fail fails the charge: auto-recharge off, the reason recorded, nothing credited", async () => {
    const { cookie, customerId } = await newCustomer("ar-fail", 105);
    expect((await patch(cookie, recharge({ pack: "pack_starter!fail" }))).status).toBe(200);
    const job = await createJob(cookie);
    await autoRechargesSettled();
    expect(await balanceOf(customerId)).toBe(95);
    expect(await expectLedgerExact(customerId)).toBe(95);
    const [failed] = await autoTopUps(customerId);
    expect(failed).toMatchObject({
      status: "failed",
      jobId: job.id,
      failureReason: expect.stringContaining("declined"),
    });
    const state = (await settings(cookie)).auto_recharge;
    expect(state).toMatchObject({
      enabled: false,
      in_flight: false,
      month_spent_cents: 0,
      disabled_reason: expect.stringContaining("declined"),
    });
    expect(state.disabled_at).not.toBeNull();
    // Off: further debits start nothing.
    await createJob(cookie);
    await autoRechargesSettled();
    expect(await autoTopUps(customerId)).toHaveLength(1);

    // Fixed (a working pack), turned on again: the reason is cleared and the next debit recharges.
    const res = await patch(cookie, recharge({ pack: "pack_starter" }));
    expect((await json<BillingSettings>(res)).auto_recharge).toMatchObject({
      enabled: true,
      disabled_reason: null,
      disabled_at: null,
    });
    await createJob(cookie);
    await autoRechargesSettled();
    expect((await autoTopUps(customerId)).map((t) => t.status)).toEqual(["failed", "succeeded"]);
    expect(await expectLedgerExact(customerId)).toBe(75 + 500);
  });

  it("a recharge left in flight (its process stopped before charging it) is settled by the worker's sweep", async () => {
    const { cookie, customerId } = await newCustomer("ar-stranded", 105);
    expect((await patch(cookie, recharge())).status).toBe(200);
    const db = await getDb();
    // The debit commits its pending recharge; the settle that would follow is lost with its process.
    const { afterCommitSuppressed } = await suppressSettles();
    await db.transaction((tx) => debit(tx, customerId, 10, { kind: "adjustment" }));
    afterCommitSuppressed();
    const [pending] = await autoTopUps(customerId);
    expect(pending!.status).toBe("pending");
    expect((await settings(cookie)).auto_recharge.in_flight).toBe(true);
    expect(await settleStrandedRecharges()).toBeGreaterThanOrEqual(1);
    expect((await autoTopUps(customerId))[0]!.status).toBe("succeeded");
    expect(await expectLedgerExact(customerId)).toBe(595);
  });
});

/** Makes the next settles no-ops (as if the process died after the commit); returns the undo. */
async function suppressSettles() {
  const mod = await import("@/lib/server/billing/auto-recharge");
  const original = mod.settleHooks.run;
  mod.settleHooks.run = () => {};
  return { afterCommitSuppressed: () => (mod.settleHooks.run = original) };
}
