import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getDb } from "@/lib/server/db/client";
import { jobs } from "@/lib/server/db/schema";
import type { GenerationBackend } from "@/lib/server/generation/backend";
import { setBackend } from "@/lib/server/generation/registry";
import { reapExpiredLeases } from "@/lib/server/jobs/queue";
import { JobWorker } from "@/lib/server/worker/worker";
import {
  expectBalanceIsLedgerSum,
  expectJob,
  jobRow,
  ledgerOfJob,
  newAccount,
  openDatabase,
  postJob,
} from "../support/jobs";

// A database that goes away mid-job is our outage, not a generation failure (tests/faults shows it on
// a real Postgres restart): no failed attempt is recorded — on the last attempt that would fail and
// refund a job that did nothing wrong — and the lease runs out for the reaper to queue it again.

beforeAll(openDatabase);
afterAll(() => setBackend(undefined));

it("a job whose database fails mid-run is left to its lease and the reaper, not failed as the generator's fault", async () => {
  const dbDown: GenerationBackend = {
    name: "db-down",
    availability: () => ({ available: true }),
    generate: async () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    },
  };
  setBackend(dbDown);
  const acct = await newAccount("db-outage", 100, false);
  const job = await expectJob(await postJob(acct.session, { product: "text-to-image", prompt: "outage" }));
  const db = await getDb();
  // This job first, whatever else the database holds; and its last attempt.
  await db
    .update(jobs)
    .set({ runAfter: sql`'2000-01-01T00:00:00Z'`, maxAttempts: 1 })
    .where(eq(jobs.id, job.id));

  const worker = new JobWorker({ leaseMs: 50 });
  expect((await worker.runOnce())?.id).toBe(job.id);
  expect(await jobRow(job.id)).toMatchObject({
    status: "running",
    attempts: 1,
    refunded: false,
    error: null,
  });
  expect((await ledgerOfJob(job.id)).map((l) => l.kind)).toEqual(["job_charge"]);

  // The lease runs out; with no attempts left the reaper ends it (refunded once), as for a dead worker.
  await sleep(100);
  await reapExpiredLeases();
  const row = await jobRow(job.id);
  expect(row).toMatchObject({ status: "failed", refunded: true });
  expect((row.error as { message: string }).message).toMatch(/stopped responding/);
  expect((await ledgerOfJob(job.id)).map((l) => l.kind)).toEqual(["job_charge", "job_refund"]);
  expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(100);
});
