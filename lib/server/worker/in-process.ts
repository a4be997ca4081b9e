import { getDbKind } from "../db/client";
import { env } from "../env";
import { onShutdown } from "../lifecycle";
import { WebhookDeliverer } from "../webhooks/worker";
import { JobWorker, type WorkerOptions } from "./worker";

// One per process, shared across module copies (Next's bundle and tsx) and dev hot reloads.
const KEY = Symbol.for("genmedia.in-process-worker");
const WEBHOOKS = Symbol.for("genmedia.in-process-webhooks");
const g = globalThis as typeof globalThis & { [KEY]?: JobWorker; [WEBHOOKS]?: WebhookDeliverer };

/** Starts the worker inside this process (the embedded default), once; it stops on shutdown. */
export function startInProcessWorker(options: Partial<WorkerOptions> = {}): JobWorker {
  const existing = g[KEY];
  if (existing) return existing;
  const worker = new JobWorker({ name: `in-process:${process.pid}`, ...options });
  g[KEY] = worker;
  worker.start();
  // Registered after the database's hook, so it runs first: jobs are finished or handed back before it closes.
  onShutdown("job-worker", stopInProcessWorker);
  return worker;
}

export async function stopInProcessWorker(): Promise<void> {
  const worker = g[KEY];
  g[KEY] = undefined;
  await worker?.stop();
}

/** The webhook deliverer inside this process, once (same policy as the job worker); stops on shutdown. */
export async function startInProcessWebhooks(): Promise<WebhookDeliverer> {
  const existing = g[WEBHOOKS];
  if (existing) return existing;
  const deliverer = new WebhookDeliverer({ name: `in-process:${process.pid}` });
  g[WEBHOOKS] = deliverer;
  await deliverer.start();
  onShutdown("webhook-deliverer", async () => {
    g[WEBHOOKS] = undefined;
    await deliverer.stop();
  });
  return deliverer;
}

/**
 * Start-up policy: the web process runs the worker unless IN_PROCESS_WORKER=0; the standalone API
 * (`embeddedOnly`) runs it only over the embedded database, whose single owner it is — with Postgres,
 * `npm run worker` processes do the work.
 */
export async function startConfiguredWorker({ embeddedOnly = false } = {}): Promise<JobWorker | null> {
  if (!env().IN_PROCESS_WORKER) return null;
  if (embeddedOnly && (await getDbKind()) !== "pglite") return null;
  await startInProcessWebhooks();
  return startInProcessWorker();
}
