import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Job, JobList } from "@/lib/api/contract/jobs.schema";
import type { Upload } from "@/lib/api/contract/uploads.schema";
import { getDb } from "@/lib/server/db/client";
import { apiKeys } from "@/lib/server/db/schema";
import { DemoBackend } from "@/lib/server/generation/demo";
import { setBackend } from "@/lib/server/generation/registry";
import { JobWorker } from "@/lib/server/worker/worker";
import { api, json } from "../support/api";
import {
  expectBalanceIsLedgerSum,
  expectJob,
  jobAction,
  ledgerOfJob,
  newAccount,
  openDatabase,
  pngBytes,
  postJob,
  upload,
  waitForJob,
} from "../support/jobs";

// The queue end to end on the embedded database: real images out, failures refunded exactly once.

beforeAll(openDatabase);

let worker: JobWorker;
beforeAll(() => {
  setBackend(new DemoBackend({ generationMs: 20 }));
  worker = new JobWorker({ idleMinMs: 5, idleMaxMs: 50, retryDelayMs: () => 10, leaseMs: 5_000 });
  worker.start();
});
afterAll(async () => {
  await worker.stop();
  setBackend(undefined);
});

describe("a job end to end", () => {
  it("text to image: queued → succeeded, a real PNG at a stable URL", async () => {
    const acct = await newAccount("e2e-t2i", 100);
    const job = await expectJob(
      await postJob(acct.keyCaller!, {
        product: "text-to-image",
        prompt: "a lighthouse at dusk",
        params: { width: 320, height: 200 },
      }),
    );
    expect(job.status).toBe("queued");
    expect(job.cost_credits).toBe(10);
    const row = await waitForJob(job.id);
    expect(row.status).toBe("succeeded");

    const done = await expectJob(await api(`/jobs/${job.id}`, { headers: acct.keyCaller!.headers }), 200);
    expect(done).toMatchObject({ status: "succeeded", attempts: 1, refunded: false, error: null });
    expect(done.output).toMatchObject({ content_type: "image/png", width: 320, height: 200 });
    expect(done.started_at).not.toBeNull();
    expect(done.finished_at).not.toBeNull();

    const file = await api(new URL(done.output!.url).pathname.replace("/api/v1", ""), {
      headers: acct.keyCaller!.headers,
    });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    const meta = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: "png", width: 320, height: 200 });

    // The slot under the key was given back.
    const db = await getDb();
    const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, acct.key!.id));
    expect(key!.unfinishedJobs).toBe(0);
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(90);
  });

  it("image edit and image to video transform an upload", async () => {
    const acct = await newAccount("e2e-edit", 200);
    const up = await json<Upload>(await upload(acct.keyCaller!, await pngBytes(300, 200)));
    const edit = await expectJob(
      await postJob(acct.keyCaller!, {
        product: "image-edit",
        prompt: "make it teal",
        source_image_url: up.url,
      }),
    );
    const video = await expectJob(
      await postJob(acct.keyCaller!, {
        product: "image-to-video",
        prompt: "slow zoom",
        start_image_url: up.url,
        params: { frames: 4 },
      }),
    );
    expect(edit.inputs).toMatchObject({ source_image_url: up.url, upload_id: up.id });
    expect((await waitForJob(edit.id)).status).toBe("succeeded");
    expect((await waitForJob(video.id)).status).toBe("succeeded");

    const editOut = await expectJob(await api(`/jobs/${edit.id}`, { headers: acct.keyCaller!.headers }), 200);
    const editFile = await api(`/jobs/${edit.id}/output`, { headers: acct.keyCaller!.headers });
    const editMeta = await sharp(Buffer.from(await editFile.arrayBuffer())).metadata();
    expect(editMeta).toMatchObject({ format: "png", width: 300, height: 200 });
    expect(editOut.output).toMatchObject({ width: 300, height: 200 });

    const videoFile = await api(`/jobs/${video.id}/output`, { headers: acct.keyCaller!.headers });
    expect(videoFile.headers.get("content-type")).toBe("image/webp");
    const videoMeta = await sharp(Buffer.from(await videoFile.arrayBuffer()), { animated: true }).metadata();
    expect(videoMeta).toMatchObject({ format: "webp", pages: 4, width: 300, pageHeight: 200 });

    // A job's output can feed the next job.
    const chained = await expectJob(
      await postJob(acct.keyCaller!, {
        product: "image-edit",
        prompt: "again",
        source_image_url: editOut.output!.url,
      }),
    );
    expect((await waitForJob(chained.id)).status).toBe("succeeded");
  });

  it("the same prompt and product render the same bytes", async () => {
    const acct = await newAccount("e2e-det", 100);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      ids.push(
        (await expectJob(await postJob(acct.session, { product: "text-to-image", prompt: "same thing" }))).id,
      );
    }
    const files = [];
    for (const id of ids) {
      await waitForJob(id);
      files.push(
        Buffer.from(await (await api(`/jobs/${id}/output`, { headers: acct.session.headers })).arrayBuffer()),
      );
    }
    expect(files[0]!.equals(files[1]!)).toBe(true);
  });
});

describe("failures", () => {
  // @code:generation_failed
  it("!fail fails every attempt, ends failed with generation_failed, refunded exactly once", async () => {
    const acct = await newAccount("e2e-fail", 100);
    const job = await expectJob(
      await postJob(acct.keyCaller!, { product: "text-to-image", prompt: "boom !fail" }),
    );
    const row = await waitForJob(job.id);
    expect(row.status).toBe("failed");
    const failed = await expectJob(await api(`/jobs/${job.id}`, { headers: acct.keyCaller!.headers }), 200);
    expect(failed).toMatchObject({ status: "failed", refunded: true, attempts: 3, output: null });
    expect(failed.error).toEqual({ code: "generation_failed", message: expect.stringContaining("!fail") });
    const ledger = await ledgerOfJob(job.id);
    expect(ledger.map((l) => [l.kind, l.credits, l.jobAttempt])).toEqual([
      ["job_charge", -10, 1],
      ["job_refund", 10, 1],
    ]);
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(100);
    const db = await getDb();
    const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, acct.key!.id));
    expect(key!.unfinishedJobs).toBe(0);
  });

  it("!fail-once fails the first attempt only and succeeds on attempt 2", async () => {
    const acct = await newAccount("e2e-once", 100);
    const job = await expectJob(
      await postJob(acct.session, { product: "text-to-image", prompt: "flaky !fail-once" }),
    );
    const row = await waitForJob(job.id);
    expect(row).toMatchObject({ status: "succeeded", attempts: 2, refunded: false, error: null });
    expect((await ledgerOfJob(job.id)).map((l) => l.kind)).toEqual(["job_charge"]);
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(90);
  });

  it("retry re-debits a failed job as a new charge; a second failure refunds that charge once", async () => {
    const acct = await newAccount("e2e-retry", 100);
    const job = await expectJob(
      await postJob(acct.session, { product: "text-to-image", prompt: "again !fail" }),
    );
    await waitForJob(job.id);
    const retried = await expectJob(await jobAction(acct.session, job.id, "retry"), 200);
    expect(retried).toMatchObject({ status: "queued", refunded: false, error: null, attempts: 0 });
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(90);
    const row = await waitForJob(job.id);
    expect(row).toMatchObject({ status: "failed", refunded: true, charge: 2 });
    expect((await ledgerOfJob(job.id)).map((l) => [l.kind, l.jobAttempt])).toEqual([
      ["job_charge", 1],
      ["job_refund", 1],
      ["job_charge", 2],
      ["job_refund", 2],
    ]);
    expect(await expectBalanceIsLedgerSum(acct.customerId)).toBe(100);
  });

  it("lists the customer's jobs through the worker's changes", async () => {
    const acct = await newAccount("e2e-list", 100);
    const job = await expectJob(await postJob(acct.session, { product: "text-to-image", prompt: "list me" }));
    await waitForJob(job.id);
    const list = await json<JobList>(await api("/jobs?status=succeeded", { headers: acct.session.headers }));
    expect(list.data.map((j: Job) => j.id)).toEqual([job.id]);
  });
});
