import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { BillingSettings, SpendAlertList } from "@/lib/api/contract/billing.schema";
import type { RequestStory } from "@/lib/api/contract/requests.schema";
import { flushRequestLog } from "@/lib/server/request-log/writer";
import type { Key } from "@/lib/api/contract/keys.schema";
import { getDb } from "@/lib/server/db/client";
import { apiKeys, customers, events, jobs } from "@/lib/server/db/schema";
import { api, json, ORIGIN } from "../support/api";
import {
  balanceOf,
  expectBalanceIsLedgerSum,
  expectError,
  expectJob,
  jobAction,
  newAccount,
  openDatabase,
  postJob,
} from "../support/jobs";

/** Spend controls: monthly credit limits on the account and on a key, their refusals, refunds, alerts. */

const month = () => new Date().toISOString().slice(0, 7);
const job = { product: "text-to-image", prompt: "a lighthouse" }; // 10 credits

const setAccountLimit = (cookie: string, limit: number | null) =>
  api("/billing/settings", {
    method: "PATCH",
    headers: { cookie, origin: ORIGIN },
    json: { monthly_credit_limit: limit },
  });

const setKeyLimit = (cookie: string, keyId: string, limit: number | null) =>
  api(`/keys/${keyId}`, {
    method: "PATCH",
    headers: { cookie, origin: ORIGIN },
    json: { monthly_credit_limit: limit },
  });

async function alerts(cookie: string) {
  return (await json<SpendAlertList>(await api("/billing/spend-alerts", { headers: { cookie } }))).data;
}

beforeAll(openDatabase);

describe("the account's monthly credit limit", () => {
  it("PATCH /billing/settings sets it; a charge past it is 402 spend_limit and writes nothing", async () => {
    const acct = await newAccount("spend-acct", 1_000, false);
    const res = await setAccountLimit(acct.cookie, 25);
    expect(res.status).toBe(200);
    const settings = await json<BillingSettings>(res);
    expect(settings.spend).toEqual({ monthly_credit_limit: 25, month: month(), month_spent_credits: 0 });

    await expectJob(await postJob(acct.session, job));
    await expectJob(await postJob(acct.session, job));
    const err = await expectError(await postJob(acct.session, job), 402, "insufficient_balance");
    expect(err.details).toEqual({
      reason: "spend_limit",
      limit: "customer",
      monthly_credit_limit: 25,
      month_spent_credits: 20,
      required: 10,
      month: month(),
    });
    expect(err.message).toContain("monthly credit limit is 25");
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(980);
    const after = await json<BillingSettings>(
      await api("/billing/settings", { headers: { cookie: acct.cookie } }),
    );
    expect(after.spend.month_spent_credits).toBe(20);

    // Raised: the charge goes through; removed (null): no limit at all.
    expect((await setAccountLimit(acct.cookie, 30)).status).toBe(200);
    await expectJob(await postJob(acct.session, job));
    await expectError(await postJob(acct.session, job), 402, "insufficient_balance");
    expect((await setAccountLimit(acct.cookie, null)).status).toBe(200);
    await expectJob(await postJob(acct.session, job));
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(960);
  });

  it("a plain insufficient balance stays as it was (no reason)", async () => {
    const acct = await newAccount("spend-poor", 5, false);
    expect((await setAccountLimit(acct.cookie, 1_000)).status).toBe(200);
    const err = await expectError(await postJob(acct.session, job), 402, "insufficient_balance");
    expect(err.details).toEqual({ required: 10, available: 5 });
  });

  it("a cancel gives its charge back to the month's spend", async () => {
    const acct = await newAccount("spend-cancel", 100, false);
    expect((await setAccountLimit(acct.cookie, 10)).status).toBe(200);
    const first = await expectJob(await postJob(acct.session, job));
    await expectError(await postJob(acct.session, job), 402, "insufficient_balance");
    await expectJob(await jobAction(acct.session, first.id, "cancel"), 200);
    await expectJob(await postJob(acct.session, job));
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(90);
  });

  it("a retry is a new charge: refused past the limit, and the failed job stays failed", async () => {
    const acct = await newAccount("spend-retry", 100, false);
    const made = await expectJob(await postJob(acct.session, job));
    // Failed as the worker fails it: refunded (the month's spend gets it back too).
    const db = await getDb();
    const { failJob } = await import("@/lib/server/jobs/queue");
    await db.update(jobs).set({ status: "running", leaseToken: "t" }).where(eq(jobs.id, made.id));
    await db.transaction((tx) => failJob(tx, made.id, "t", "boom"));
    const [row] = await db.select().from(customers).where(eq(customers.id, acct.customerId));
    expect(row!.spendMonthCredits).toBe(0);
    expect((await setAccountLimit(acct.cookie, 5)).status).toBe(200);
    const err = await expectError(
      await jobAction(acct.session, made.id, "retry"),
      402,
      "insufficient_balance",
    );
    expect(err.details).toMatchObject({ reason: "spend_limit", limit: "customer", month_spent_credits: 0 });
    expect((await setAccountLimit(acct.cookie, 10)).status).toBe(200);
    await expectJob(await jobAction(acct.session, made.id, "retry"), 200);
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(90);
  });

  it("last month's spend does not count this month", async () => {
    const acct = await newAccount("spend-month", 100, false);
    const db = await getDb();
    await db
      .update(customers)
      .set({
        monthlyCreditLimit: 10,
        spendMonth: sql`(date_trunc('month', now()) - interval '1 month')::date`,
        spendMonthCredits: 10,
      })
      .where(eq(customers.id, acct.customerId));
    await expectJob(await postJob(acct.session, job));
    const [row] = await db.select().from(customers).where(eq(customers.id, acct.customerId));
    expect(String(row!.spendMonth).slice(0, 7)).toBe(month());
    expect(row!.spendMonthCredits).toBe(10);
  });

  it("is refused below 0, and PATCH validates it", async () => {
    const acct = await newAccount("spend-invalid", 0, false);
    await expectError(await setAccountLimit(acct.cookie, -1), 400, "invalid_request");
  });
});

describe("a key's monthly credit limit", () => {
  it("PATCH /keys/{id} sets it; past it the key is refused (limit: key), the session is not", async () => {
    const acct = await newAccount("spend-key", 1_000);
    const res = await setKeyLimit(acct.cookie, acct.key!.id, 20);
    expect(res.status).toBe(200);
    expect((await json<Key>(res)).spend).toEqual({
      monthly_credit_limit: 20,
      month: month(),
      month_spent_credits: 0,
    });
    await expectJob(await postJob(acct.keyCaller!, job));
    await expectJob(await postJob(acct.keyCaller!, job));
    const err = await expectError(await postJob(acct.keyCaller!, job), 402, "insufficient_balance");
    expect(err.details).toEqual({
      reason: "spend_limit",
      limit: "key",
      key_id: acct.key!.id,
      monthly_credit_limit: 20,
      month_spent_credits: 20,
      required: 10,
      month: month(),
    });
    // Nothing written: balance, the key's queue slots and counter as before.
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(980);
    const db = await getDb();
    const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, acct.key!.id));
    expect(key).toMatchObject({ unfinishedJobs: 2, spendMonthCredits: 20 });
    // The session is not under the key's limit.
    await expectJob(await postJob(acct.session, job));
    const got = await json<Key>(await api(`/keys/${acct.key!.id}`, { headers: { cookie: acct.cookie } }));
    expect(got.spend.month_spent_credits).toBe(20);
    // The account counts the key's charges and the session's.
    const settings = await json<BillingSettings>(
      await api("/billing/settings", { headers: { cookie: acct.cookie } }),
    );
    expect(settings.spend.month_spent_credits).toBe(30);
  });

  it("a cancel gives the key its credits back", async () => {
    const acct = await newAccount("spend-key-cancel", 1_000);
    expect((await setKeyLimit(acct.cookie, acct.key!.id, 10)).status).toBe(200);
    const made = await expectJob(await postJob(acct.keyCaller!, job));
    await expectError(await postJob(acct.keyCaller!, job), 402, "insufficient_balance");
    await expectJob(await jobAction(acct.keyCaller!, made.id, "cancel"), 200);
    await expectJob(await postJob(acct.keyCaller!, job));
    expect(await balanceOf(acct.customerId)).toBe(990);
  });

  it("the account's limit applies to its keys' charges too", async () => {
    const acct = await newAccount("spend-both", 1_000);
    expect((await setAccountLimit(acct.cookie, 10)).status).toBe(200);
    expect((await setKeyLimit(acct.cookie, acct.key!.id, 100)).status).toBe(200);
    await expectJob(await postJob(acct.keyCaller!, job));
    const err = await expectError(await postJob(acct.keyCaller!, job), 402, "insufficient_balance");
    expect(err.details).toMatchObject({ reason: "spend_limit", limit: "customer" });
  });
});

describe("usage alerts", () => {
  it("are recorded once per threshold per month, for the account's and the key's limits", async () => {
    const acct = await newAccount("spend-alerts", 1_000);
    expect(await alerts(acct.cookie)).toEqual([]);
    expect((await setAccountLimit(acct.cookie, 100)).status).toBe(200);
    expect((await setKeyLimit(acct.cookie, acct.key!.id, 20)).status).toBe(200);
    await expectJob(await postJob(acct.keyCaller!, job)); // key 50%
    expect((await alerts(acct.cookie)).map((a) => [a.scope, a.threshold])).toEqual([["key", 50]]);
    await expectJob(await postJob(acct.keyCaller!, job)); // key 100%
    for (let i = 0; i < 3; i++) await expectJob(await postJob(acct.session, job)); // account 50%
    await expectError(await postJob(acct.keyCaller!, job), 402, "insufficient_balance");
    for (let i = 0; i < 4; i++) await expectJob(await postJob(acct.session, job)); // account 90%: 80% once
    const list = await alerts(acct.cookie);
    expect(list.map((a) => `${a.scope}:${a.threshold}`).sort()).toEqual([
      "customer:50",
      "customer:80",
      "key:100",
      "key:50",
      "key:80",
    ]);
    const key100 = list.find((a) => a.scope === "key" && a.threshold === 100)!;
    expect(key100).toMatchObject({
      key_id: acct.key!.id,
      key_name: acct.key!.name,
      month: month(),
      monthly_credit_limit: 20,
      month_spent_credits: 20,
    });
    const c80 = list.find((a) => a.scope === "customer" && a.threshold === 80)!;
    expect(c80).toMatchObject({
      key_id: null,
      monthly_credit_limit: 100,
      month_spent_credits: 80,
      active: true,
    });
    // Raised past them, the account's alerts stay on record but no longer stand; the key's still do.
    expect((await setAccountLimit(acct.cookie, 1_000)).status).toBe(200);
    const after = await alerts(acct.cookie);
    expect(after).toHaveLength(5);
    expect(
      after
        .filter((a) => a.active)
        .map((a) => `${a.scope}:${a.threshold}`)
        .sort(),
    ).toEqual(["key:100", "key:50", "key:80"]);
  });

  it("each alert is a spend.alert event in the outbox, written with it (a charge and a retry's)", async () => {
    const acct = await newAccount("spend-alert-events", 1_000);
    const db = await getDb();
    const spendEvents = async () =>
      (await db.select().from(events).where(eq(events.customerId, acct.customerId)))
        .filter((e) => e.type === "spend.alert")
        .map((e) => e.data as Record<string, unknown>);
    expect((await setAccountLimit(acct.cookie, 40)).status).toBe(200);
    expect((await setKeyLimit(acct.cookie, acct.key!.id, 20)).status).toBe(200);
    const first = await expectJob(await postJob(acct.keyCaller!, job)); // key 50%
    expect(await spendEvents()).toEqual([
      {
        id: expect.stringMatching(/^sal_/),
        scope: "key",
        key_id: acct.key!.id,
        key_name: acct.key!.name,
        month: month(),
        threshold: 50,
        monthly_credit_limit: 20,
        month_spent_credits: 10,
      },
    ]);
    // A refused charge writes neither alert nor event; a retry's charge (another statement) writes both.
    const { failJob } = await import("@/lib/server/jobs/queue");
    await db.update(jobs).set({ status: "running", leaseToken: "t" }).where(eq(jobs.id, first.id));
    await db.transaction((tx) => failJob(tx, first.id, "t", "boom"));
    await expectJob(await postJob(acct.keyCaller!, job)); // key 50% again (the refund gave it back)
    await expectJob(await jobAction(acct.keyCaller!, first.id, "retry"), 200); // key 100%, account 50%
    await expectError(await postJob(acct.keyCaller!, job), 402, "insufficient_balance");
    const list = await alerts(acct.cookie);
    const got = await spendEvents();
    expect(got.map((e) => `${String(e.scope)}:${String(e.threshold)}`).sort()).toEqual([
      "customer:50",
      "key:100",
      "key:50",
      "key:80",
    ]);
    // One event per alert, carrying the alert's id and figures.
    expect(got.map((e) => e.id).sort()).toEqual(list.map((a) => a.id).sort());
    for (const alert of list) {
      expect(got.find((e) => e.id === alert.id)).toMatchObject({
        threshold: alert.threshold,
        monthly_credit_limit: alert.monthly_credit_limit,
        month_spent_credits: alert.month_spent_credits,
      });
    }
  });
});

describe("the request story of a refusal", () => {
  async function story(cookie: string, requestId: string) {
    await flushRequestLog();
    const res = await api(`/requests/${requestId}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return json<RequestStory>(res);
  }

  it("keeps the error's reason: a monthly limit's refusal is told from the balance's", async () => {
    const acct = await newAccount("spend-story", 1_000);
    expect((await setAccountLimit(acct.cookie, 10)).status).toBe(200);
    await expectJob(await postJob(acct.session, job));
    const account = await expectError(await postJob(acct.session, job), 402, "insufficient_balance");
    const byAccount = await story(acct.cookie, account.request_id);
    expect(byAccount.error_details).toEqual({
      reason: "spend_limit",
      limit: "customer",
      monthly_credit_limit: 10,
      month_spent_credits: 10,
      required: 10,
      month: month(),
    });
    expect(byAccount.explanation).toMatchObject({
      title: "Monthly spend limit reached",
      action: expect.stringContaining("Raise the account's monthly credit limit"),
    });

    expect((await setAccountLimit(acct.cookie, null)).status).toBe(200);
    expect((await setKeyLimit(acct.cookie, acct.key!.id, 5)).status).toBe(200);
    const byKey = await expectError(await postJob(acct.keyCaller!, job), 402, "insufficient_balance");
    expect((await story(acct.cookie, byKey.request_id)).error_details).toMatchObject({
      reason: "spend_limit",
      limit: "key",
      key_id: acct.key!.id,
    });

    const poor = await newAccount("spend-story-poor", 5, false);
    const balance = await expectError(await postJob(poor.session, job), 402, "insufficient_balance");
    const byBalance = await story(poor.cookie, balance.request_id);
    expect(byBalance.error_details).toEqual({ required: 10, available: 5 });
    expect(byBalance.explanation!.title).not.toBe("Monthly spend limit reached");
    // A success has no details; a validation error keeps no field list.
    const ok = await postJob(acct.session, job);
    expect((await story(acct.cookie, ok.headers.get("x-request-id")!)).error_details).toBeNull();
    const invalid = await expectError(await postJob(acct.session, { product: 7 }), 400, "invalid_request");
    expect((await story(acct.cookie, invalid.request_id)).error_details).toBeNull();
  });
});
