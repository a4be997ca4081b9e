import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job } from "@/lib/api/contract/jobs.schema";
import { getDb } from "@/lib/server/db/client";
import { apiKeys, jobs } from "@/lib/server/db/schema";
import { DemoBackend } from "@/lib/server/generation/demo";
import { setBackend } from "@/lib/server/generation/registry";
import { insertJob } from "@/lib/server/jobs/create";
import { claimNextJob, reapExpiredLeases } from "@/lib/server/jobs/queue";
import { getStore } from "@/lib/server/storage/store";
import { JobWorker } from "@/lib/server/worker/worker";
import {
  balanceOf,
  expectBalanceIsLedgerSum,
  expectJob,
  jobRow,
  ledgerOfJob,
  newAccount,
  openDatabase,
  postJob,
  waitForJob,
} from "../support/jobs";

// Races that PGlite (one query at a time) cannot show: these run on real Postgres only.

beforeAll(openDatabase);

const CAP = 4;
process.env.MAX_UNFINISHED_JOBS_PER_KEY = String(CAP);

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  setBackend(undefined);
});

const EPOCH = sql`'2000-01-01T00:00:00Z'`;

describe.skipIf(!process.env.DATABASE_URL)("on real Postgres", () => {
  it("100 parallel POSTs with one Idempotency-Key: one job, one debit, identical replays", async () => {
    const acct = await newAccount("race-idem", 1000);
    const body = { product: "text-to-image", prompt: "exactly once" };
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => postJob(acct.keyCaller!, body, { "idempotency-key": "race-1" })),
    );
    const texts = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(201));
    expect(new Set(texts).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(99);
    const job = JSON.parse(texts[0]!) as Job;
    const db = await getDb();
    expect(
      await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.customerId, acct.customerId)),
    ).toHaveLength(1);
    expect((await ledgerOfJob(job.id)).map((l) => l.kind)).toEqual(["job_charge"]);
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(990);
  });

  it(`5×cap parallel creates under one key: exactly cap (${CAP}) accepted, the rest queue_full`, async () => {
    const acct = await newAccount("race-cap", 1000);
    const responses = await Promise.all(
      Array.from({ length: 5 * CAP }, (_, i) =>
        postJob(acct.keyCaller!, { product: "text-to-image", prompt: `cap ${i}` }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(CAP);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4 * CAP);
    for (const res of responses.filter((r) => r.status === 429)) {
      const body = (await res.json()) as { error: { code: string; details: unknown } };
      expect(body.error.code).toBe("queue_full");
      expect(body.error.details).toEqual({ unfinished: CAP, limit: CAP });
    }
    const db = await getDb();
    const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, acct.key!.id));
    expect(key!.unfinishedJobs).toBe(CAP);
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(1000 - 10 * CAP);
  });

  it("the cap holds for direct service calls too (guarded counter, not count-then-insert)", async () => {
    const acct = await newAccount("race-cap-direct", 1000);
    const db = await getDb();
    const actor = { customerId: acct.customerId, keyId: acct.key!.id, requestId: null };
    const results = await Promise.allSettled(
      Array.from({ length: 5 * CAP }, (_, i) =>
        db.transaction((tx) =>
          insertJob(tx, actor, { product: "text-to-image", prompt: `d${i}` }, null, CAP),
        ),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(CAP);
    expect(await balanceOf(acct.customerId)).toBe(1000 - 10 * CAP);
  });

  it("parallel claims never hand one job to two workers (SKIP LOCKED)", async () => {
    const acct = await newAccount("race-claim", 1000, false);
    const made: Job[] = [];
    for (let i = 0; i < 10; i++) {
      made.push(await expectJob(await postJob(acct.session, { product: "text-to-image", prompt: `c${i}` })));
    }
    const db = await getDb();
    const ids = made.map((j) => j.id);
    await db.update(jobs).set({ runAfter: EPOCH }).where(inArray(jobs.id, ids));
    const claimed = await Promise.all(Array.from({ length: 10 }, () => claimNextJob(60_000)));
    const claimedIds = claimed.map((j) => j?.id);
    expect(new Set(claimedIds).size).toBe(10);
    expect([...claimedIds].sort()).toEqual([...ids].sort());
    // Give them back for other tests' sake.
    await db
      .update(jobs)
      .set({ status: "canceled", leaseToken: null, leasedUntil: null })
      .where(inArray(jobs.id, ids));
  });

  it("a worker killed mid-job: the lease expires, the job finishes once, nothing refunded", async () => {
    const acct = await newAccount("race-kill", 100);
    const job = await expectJob(
      await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "survive a kill" }),
    );
    const db = await getDb();
    await db.update(jobs).set({ runAfter: EPOCH }).where(eq(jobs.id, job.id));

    // A real `npm run worker` process, generating slowly, then SIGKILLed while it holds the job.
    const child = spawn(process.execPath, ["--import", "tsx", "lib/server/worker/main.ts"], {
      env: {
        ...process.env,
        WORKER_CONCURRENCY: "1",
        WORKER_LEASE_MS: "1000",
        DEMO_GENERATION_MS: "60000",
        SEED_DEMO: "",
      },
      stdio: "ignore",
    });
    children.push(child);
    const running = await waitForJob(job.id, ["running"], 30_000);
    const deadToken = running.leaseToken!;
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    // Its lease runs out; the reaper gives the job back; another worker finishes it.
    await sleep(1_500);
    await reapExpiredLeases();
    expect(await jobRow(job.id)).toMatchObject({ status: "queued", attempts: 1 });
    setBackend(new DemoBackend({ generationMs: 0 }));
    await db.update(jobs).set({ runAfter: EPOCH }).where(eq(jobs.id, job.id));
    const worker = new JobWorker({ concurrency: 1 });
    expect((await worker.runOnce())?.id).toBe(job.id);

    const row = await jobRow(job.id);
    expect(row).toMatchObject({ status: "succeeded", attempts: 2, refunded: false });
    expect((row.output as { storage_key: string }).storage_key).not.toContain(deadToken);
    expect(await getStore().get(`outputs/${job.id}/${deadToken}.png`)).toBeNull();
    expect((await ledgerOfJob(job.id)).map((l) => l.kind)).toEqual(["job_charge"]);
    const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, acct.key!.id));
    expect(key!.unfinishedJobs).toBe(0);
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(90);
  });
});

describe("npm run worker", () => {
  it.skipIf(!!process.env.DATABASE_URL)("refuses clearly with the embedded database", async () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ["--import", "tsx", "lib/server/worker/main.ts"], { env });
    children.push(child);
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("DATABASE_URL");
  });
});
