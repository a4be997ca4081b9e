import { and, eq } from "drizzle-orm";
import type { JobInputs } from "@/lib/api/contract/jobs.schema";
import { settleStrandedRecharges } from "../billing/auto-recharge";
import { getDb } from "../db/client";
import { products, uploads } from "../db/schema";
import { isDatabaseUnavailable } from "../errors";
import {
  GenerationAborted,
  GenerationError,
  type GenerationInput,
  isGenerationAborted,
  isGenerationError,
} from "../generation/backend";
import { backendFor } from "../generation/registry";
import type { JobRow, StoredOutput } from "../jobs/dto";
import {
  claimNextJob,
  completeJob,
  failAttempt,
  failJob,
  heartbeat,
  reapExpiredLeases,
  releaseJob,
} from "../jobs/queue";
import { onJobQueued } from "../jobs/signal";
import { getStore } from "../storage/store";
import { log } from "../log";

export type WorkerOptions = {
  /** Jobs run at once by this worker. */
  concurrency: number;
  /** How long a claim holds without a heartbeat; the heartbeat runs every third of it. */
  leaseMs: number;
  /** Idle polling backs off from the first to the second (doubling), and resets when work appears. */
  idleMinMs: number;
  idleMaxMs: number;
  reapEveryMs: number;
  /** Delay before attempt n+1 after attempt n failed. */
  retryDelayMs: (failedAttempt: number) => number;
  name: string;
};

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  concurrency: 2,
  leaseMs: 30_000,
  idleMinMs: 100,
  idleMaxMs: 2_000,
  reapEveryMs: 5_000,
  retryDelayMs: (n) => Math.min(30_000, 1_000 * 2 ** (n - 1)),
  name: "worker",
};

const EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };

/**
 * Runs queued jobs: `concurrency` loops that claim (SKIP LOCKED), generate under a heartbeat-extended
 * lease, and finish with a lease-guarded transition. Idle, it costs one indexed query per poll, the
 * poll backing off to `idleMaxMs`; a job created in this process wakes it at once. Any number of
 * workers may share one Postgres.
 */
export class JobWorker {
  readonly options: WorkerOptions;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();
  private running = new Map<string, { token: string; abort: AbortController }>();
  private lastReap = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(options: Partial<WorkerOptions> = {}) {
    this.options = { ...DEFAULT_WORKER_OPTIONS, ...options };
  }

  start(): void {
    if (this.loops.length) return;
    this.unsubscribe = onJobQueued(() => this.wakeAll());
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop());
  }

  /** Stops claiming; waits up to `graceMs` for running jobs, then hands the rest back to the queue. */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.wakeAll();
    const all = Promise.all(this.loops);
    const timer = setTimeout(() => {
      for (const { abort } of this.running.values()) abort.abort();
    }, graceMs);
    await all;
    clearTimeout(timer);
    this.loops = [];
  }

  get busy(): number {
    return this.running.size;
  }

  /** Claims and runs one job if there is one (tests drive the queue with this). */
  async runOnce(): Promise<JobRow | null> {
    const job = await claimNextJob(this.options.leaseMs);
    if (job) await this.run(job);
    return job;
  }

  private async loop(): Promise<void> {
    let idle = this.options.idleMinMs;
    let failing = false;
    while (!this.stopping) {
      try {
        await this.maybeReap();
        const job = await claimNextJob(this.options.leaseMs);
        failing = false;
        if (job && !this.stopping) {
          await this.run(job);
          idle = this.options.idleMinMs;
          continue;
        }
        if (job) await releaseJob(job.id, job.leaseToken!);
      } catch (error) {
        // The database may be down: keep polling slowly (logging once per outage), and the reaper
        // recovers any leases lost meanwhile.
        if (!failing) log("error", "worker loop error", { worker: this.options.name, error: String(error) });
        failing = true;
        idle = isDatabaseUnavailable(error) ? this.options.idleMaxMs : idle;
      }
      await this.sleep(idle);
      idle = Math.min(idle * 2, this.options.idleMaxMs);
    }
  }

  private async maybeReap(): Promise<void> {
    if (Date.now() - this.lastReap < this.options.reapEveryMs) return;
    this.lastReap = Date.now();
    const { requeued, failed } = await reapExpiredLeases();
    if (requeued || failed)
      log("warn", "reaped expired leases", { worker: this.options.name, requeued, failed });
    // Auto-recharges whose debit committed but whose process stopped before charging them.
    const recharged = await settleStrandedRecharges();
    if (recharged) log("warn", "settled stranded auto-recharges", { worker: this.options.name, recharged });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  private async run(job: JobRow): Promise<void> {
    const token = job.leaseToken!;
    const abort = new AbortController();
    this.running.set(job.id, { token, abort });
    const beat = setInterval(
      () => {
        heartbeat(job.id, token, this.options.leaseMs)
          .then((held) => {
            if (!held) abort.abort();
          })
          .catch(() => {});
      },
      Math.max(10, Math.floor(this.options.leaseMs / 3)),
    );
    try {
      await this.generate(job, token, abort.signal);
    } catch (error) {
      if (abort.signal.aborted || isGenerationAborted(error)) {
        // Lost the lease (someone else owns the job now) or stopping: hand it back if it is still ours.
        if (this.stopping) await releaseJob(job.id, token).catch(() => {});
        return;
      }
      if (isDatabaseUnavailable(error)) {
        // Our database blinked, not the generator: no failed attempt (on the last one it would fail and
        // refund a job that did nothing wrong). The lease runs out and the reaper queues the job again.
        log("warn", "database unavailable mid-job; the reaper will requeue it", { job_id: job.id });
        return;
      }
      const message = isGenerationError(error)
        ? error.message
        : "The generator failed unexpectedly. Credits were refunded.";
      if (!isGenerationError(error)) {
        log("error", "generation error", {
          job_id: job.id,
          error: error instanceof Error ? error.stack : String(error),
        });
      }
      const outcome = await failAttempt(
        job.id,
        token,
        message,
        this.options.retryDelayMs(job.attempts),
      ).catch((e: unknown) => {
        log("error", "could not record a failed attempt", { job_id: job.id, error: String(e) });
        return "lost" as const;
      });
      if (outcome === "requeued") this.wakeAll();
      if (outcome === "failed")
        log("warn", "job failed", { job_id: job.id, attempts: job.attempts, message });
    } finally {
      clearInterval(beat);
      this.running.delete(job.id);
    }
  }

  private async generate(job: JobRow, token: string, signal: AbortSignal): Promise<void> {
    const db = await getDb();
    const [product] = await db.select().from(products).where(eq(products.id, job.productId));
    if (!product) {
      await db.transaction((tx) =>
        failJob(tx, job.id, token, `The product ${job.productId} no longer exists.`),
      );
      return;
    }
    const inputs = job.inputs as JobInputs;
    const input = inputs.upload_id ? await loadUpload(job.customerId, inputs.upload_id) : null;
    const result = await backendFor(product.id).generate({
      jobId: job.id,
      product,
      prompt: job.prompt,
      params: inputs.params ?? {},
      attempt: job.attempts,
      input,
      signal,
    });
    if (signal.aborted) throw new GenerationAborted();
    // A key per lease: a zombie worker's late write can never replace the winner's file.
    const key = `outputs/${job.id}/${token}.${EXTENSIONS[result.contentType] ?? "bin"}`;
    const store = getStore();
    await store.put(key, result.bytes);
    const output: StoredOutput = {
      storage_key: key,
      content_type: result.contentType,
      width: result.width,
      height: result.height,
      bytes: result.bytes.length,
    };
    if (!(await completeJob(job.id, token, output))) await store.delete(key);
  }
}

async function loadUpload(customerId: string, uploadId: string): Promise<GenerationInput> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, uploadId), eq(uploads.customerId, customerId)));
  const bytes = row ? await getStore().get(row.storageKey) : null;
  if (!row || !bytes) throw new GenerationError("The job's input image is no longer stored.");
  return { bytes, contentType: row.contentType };
}
