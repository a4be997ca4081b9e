/**
 * `npm run worker`: a job worker process on its own. Any number may run against one Postgres
 * (DATABASE_URL); with the embedded database there is exactly one owner process, so it refuses.
 */
import { z } from "zod";
import { getDb } from "../db/client";
import { env } from "../env";
import { shutdown } from "../lifecycle";
import { startMaintenance } from "../maintenance";
import { WebhookDeliverer } from "../webhooks/worker";
import { JobWorker } from "./worker";

const Options = z.object({
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  WORKER_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
});

async function main() {
  if (!env().DATABASE_URL) {
    console.error(
      "npm run worker needs a shared Postgres: set DATABASE_URL.\n" +
        "With the embedded database (PGlite under DATA_DIR) only one process may open it, and the web " +
        "process already runs the worker inside itself (IN_PROCESS_WORKER, on by default).",
    );
    process.exit(1);
  }
  const options = Options.parse(
    Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== "")),
  );
  await getDb();
  const worker = new JobWorker({
    name: `worker:${process.pid}`,
    concurrency: options.WORKER_CONCURRENCY,
    leaseMs: options.WORKER_LEASE_MS,
  });
  worker.start();
  // Webhook deliveries run wherever jobs run: claims are guarded, any number of processes may share them.
  const webhooks = new WebhookDeliverer({ name: `worker:${process.pid}` });
  await webhooks.start();
  // Retention (request log, idempotency claims) runs wherever jobs run; the deletes are idempotent.
  startMaintenance();
  console.log(
    JSON.stringify({
      level: "info",
      msg: "worker started",
      pid: process.pid,
      concurrency: options.WORKER_CONCURRENCY,
    }),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ level: "info", msg: `${signal}: stopping worker`, running: worker.busy }));
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await Promise.all([worker.stop(), webhooks.stop()]);
    await shutdown();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
