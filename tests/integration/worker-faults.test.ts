import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/server/db/client";
import { apiKeys, jobs } from "@/lib/server/db/schema";
import { GenerationAborted, type GenerationBackend } from "@/lib/server/generation/backend";
import { DemoBackend } from "@/lib/server/generation/demo";
import { setBackend } from "@/lib/server/generation/registry";
import type { StoredOutput } from "@/lib/server/jobs/dto";
import { claimNextJob, completeJob, failJob, heartbeat, reapExpiredLeases } from "@/lib/server/jobs/queue";
import { JobWorker } from "@/lib/server/worker/worker";
import {
  expectBalanceIsLedgerSum,
  expectJob,
  jobRow,
  ledgerOfJob,
  newAccount,
  openDatabase,
  postJob,
  waitForJob,
} from "../support/jobs";

// The lease rules, driven by hand: a zombie can neither finish nor refund, a failure delivered twice
// refunds once, the reaper recovers dead workers. Runs on PGlite and on Postgres (DATABASE_URL).

beforeAll(openDatabase);

afterAll(() => setBackend(undefined));

/** Makes this job the oldest runnable one (the database may hold others) and claims it. */
async function claimMine(jobId: string, leaseMs: number) {
  const db = await getDb();
  await db
    .update(jobs)
    .set({ runAfter: sql`'2000-01-01T00:00:00Z'` })
    .where(eq(jobs.id, jobId));
  const claimed = await claimNextJob(leaseMs);
  expect(claimed?.id).toBe(jobId);
  return claimed!;
}

const fakeOutput: StoredOutput = {
  storage_key: "outputs/none/none.png",
  content_type: "image/png",
  width: 1,
  height: 1,
  bytes: 1,
};

async function unfinishedOf(keyId: string) {
  const db = await getDb();
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
  return key!.unfinishedJobs;
}

describe("leases", () => {
  it("an expired lease is requeued by the reaper; the old holder can no longer heartbeat, finish or fail it", async () => {
    const acct = await newAccount("zombie", 100);
    const job = await expectJob(
      await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "zombie" }),
    );
    const first = await claimMine(job.id, 50);
    expect(first).toMatchObject({ status: "running", attempts: 1 });
    await sleep(120);
    expect((await reapExpiredLeases()).requeued).toBeGreaterThanOrEqual(1);
    expect(await jobRow(job.id)).toMatchObject({ status: "queued", attempts: 1, leaseToken: null });

    const second = await claimMine(job.id, 30_000);
    expect(second.attempts).toBe(2);
    const zombie = first.leaseToken!;
    expect(await heartbeat(job.id, zombie, 30_000)).toBe(false);
    expect(await completeJob(job.id, zombie, fakeOutput)).toBeNull();
    const db = await getDb();
    expect(await db.transaction((tx) => failJob(tx, job.id, zombie, "late"))).toBeNull();

    expect(await completeJob(job.id, second.leaseToken!, fakeOutput)).toMatchObject({ status: "succeeded" });
    expect((await ledgerOfJob(job.id)).map((l) => l.kind)).toEqual(["job_charge"]);
    expect(await unfinishedOf(acct.key!.id)).toBe(0);
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(90);
  });

  it("a failure delivered twice refunds once and frees the key's slot once", async () => {
    const acct = await newAccount("dup-fail", 100);
    const other = await expectJob(
      await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "stays" }),
    );
    const job = await expectJob(
      await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "twice" }),
    );
    const claimed = await claimMine(job.id, 30_000);
    const db = await getDb();
    // Concurrent deliveries on Postgres; PGlite runs them one after the other.
    const results = await Promise.all(
      [1, 2, 3].map(() => db.transaction((tx) => failJob(tx, job.id, claimed.leaseToken!, "boom"))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await ledgerOfJob(job.id)).map((l) => l.kind)).toEqual(["job_charge", "job_refund"]);
    expect(await jobRow(job.id)).toMatchObject({ status: "failed", refunded: true });
    // One slot back (the other job still holds its own).
    expect(await unfinishedOf(acct.key!.id)).toBe(1);
    expect((await jobRow(other.id)).status).toBe("queued");
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(90);
  });

  it("with no attempts left the reaper fails the job and refunds it once", async () => {
    const acct = await newAccount("reap-fail", 100, false);
    const job = await expectJob(
      await postJob(acct.session, { product: "text-to-image", prompt: "abandoned" }),
    );
    const db = await getDb();
    await db.update(jobs).set({ maxAttempts: 1 }).where(eq(jobs.id, job.id));
    await claimMine(job.id, 30);
    await sleep(100);
    await reapExpiredLeases();
    await reapExpiredLeases();
    const row = await jobRow(job.id);
    expect(row).toMatchObject({ status: "failed", refunded: true });
    expect(row.error).toMatchObject({ code: "generation_failed" });
    expect((await ledgerOfJob(job.id)).map((l) => l.kind)).toEqual(["job_charge", "job_refund"]);
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(100);
  });
});

describe("worker shutdown", () => {
  it("hands a running job back to the queue without counting the attempt", async () => {
    let started = false;
    const hanging: GenerationBackend = {
      name: "hanging",
      availability: () => ({ available: true }),
      generate: ({ signal }) =>
        new Promise((_, reject) => {
          started = true;
          signal.addEventListener("abort", () => reject(new GenerationAborted()));
        }),
    };
    setBackend(hanging);
    const acct = await newAccount("shutdown", 100, false);
    const job = await expectJob(await postJob(acct.session, { product: "text-to-image", prompt: "slow" }));
    const db = await getDb();
    await db
      .update(jobs)
      .set({ runAfter: sql`'2000-01-01T00:00:00Z'` })
      .where(eq(jobs.id, job.id));
    const worker = new JobWorker({ concurrency: 1, idleMinMs: 5, idleMaxMs: 20 });
    worker.start();
    await waitForJob(job.id, ["running"]);
    while (!started) await sleep(5);
    await worker.stop(0);
    expect(await jobRow(job.id)).toMatchObject({ status: "queued", attempts: 0, leaseToken: null });

    // And it runs to completion later.
    setBackend(new DemoBackend({ generationMs: 0 }));
    const next = new JobWorker({ concurrency: 1, idleMinMs: 5, idleMaxMs: 20 });
    await db
      .update(jobs)
      .set({ runAfter: sql`'2000-01-01T00:00:00Z'` })
      .where(eq(jobs.id, job.id));
    expect((await next.runOnce())?.id).toBe(job.id);
    expect(await jobRow(job.id)).toMatchObject({ status: "succeeded", attempts: 1 });
  });
});
