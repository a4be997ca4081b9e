import { pruneIdempotencyKeys } from "./idempotency/idempotency";
import { onShutdown } from "./lifecycle";
import { pruneRequestLog } from "./requests/retention";
import { pruneUnreferencedUploads } from "./uploads/retention";

const EVERY_MS = 10 * 60_000;
const KEY = Symbol.for("genmedia.maintenance");
const g = globalThis as typeof globalThis & { [KEY]?: NodeJS.Timeout };

/**
 * Retention: idempotency claims after 24 h, request-log rows after REQUEST_LOG_DAYS, uploads no job
 * uses after UPLOAD_RETENTION_HOURS. Idempotent deletes.
 */
export async function runMaintenance(): Promise<void> {
  try {
    const claims = await pruneIdempotencyKeys();
    const requests = await pruneRequestLog();
    const files = await pruneUnreferencedUploads();
    if (claims || requests || files)
      console.log(
        JSON.stringify({
          level: "info",
          msg: "pruned",
          idempotency_keys: claims,
          request_log: requests,
          uploads: files,
        }),
      );
  } catch (error) {
    console.error(JSON.stringify({ level: "warn", msg: "maintenance failed", error: String(error) }));
  }
}

/** Once per process, every 10 minutes (the first run after 10 minutes: start-up stays fast). */
export function startMaintenance(): void {
  if (g[KEY]) return;
  g[KEY] = setInterval(() => void runMaintenance(), EVERY_MS);
  g[KEY].unref();
  onShutdown("maintenance", () => {
    clearInterval(g[KEY]);
    g[KEY] = undefined;
  });
}
