import { z } from "zod";

const flag = z
  .string()
  .optional()
  .transform((v) => v === "1" || v === "true");
const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  SEED_DEMO: flag,
  APP_URL: z.string().url().optional(),
  BETTER_AUTH_SECRET: z.string().min(16).optional(),
  RATE_LIMIT_PER_MINUTE: int(600),
  AUTH_FAILURES_PER_MINUTE: int(60),
  /** Failed sign-ins per account (any address) per minute: password spraying from many addresses. */
  AUTH_FAILURES_PER_ACCOUNT_PER_MINUTE: int(10),
  MAX_UNFINISHED_JOBS_PER_KEY: int(20),
  MAX_UPLOAD_BYTES: int(10 * 1024 * 1024),
  /** Bytes of uploads one customer may hold (POST /uploads and images fetched for jobs). */
  UPLOAD_QUOTA_BYTES: int(1024 * 1024 * 1024),
  /** Uploads no job references are deleted this many hours after they were stored. */
  UPLOAD_RETENTION_HOURS: int(24),
  /** Keys a customer may hold that are not revoked (POST /keys past it: invalid_state). */
  MAX_KEYS_PER_CUSTOMER: int(100),
  /** Remote image fetches (source_image_url) in flight at once in this process. */
  MAX_CONCURRENT_REMOTE_FETCHES: int(16),
  DEMO_GENERATION_MS: z.coerce.number().int().min(0).default(1500),
  TRUSTED_PROXIES: z.string().default(""),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  REQUEST_LOG_DAYS: int(30),
  /** Adds GET /api/v1/__bench/noop, the trivial baseline route of bench/ (never set in production). */
  BENCH_ROUTES: flag,
  /**
   * Development only: webhook endpoints may be http:// and on a loopback address (a receiver on this
   * machine). Never set in production: delivery then refuses loopback like any private address.
   */
  WEBHOOK_ALLOW_LOOPBACK: flag,
  /** An endpoint whose every delivery has failed for this many days is turned off (a console notice says why). */
  WEBHOOK_DISABLE_AFTER_DAYS: int(5),
  /**
   * How old a live stream's last check of its caller may be when an event goes out (GET /events/stream
   * checks again past it, and at every heartbeat): the longest a signed-out session or a revoked key
   * still receives events.
   */
  EVENTS_RECHECK_MS: z.coerce.number().int().min(0).default(2_000),
  /** "0" keeps the job worker out of the web process (e.g. when `npm run worker` replicas run). */
  IN_PROCESS_WORKER: z
    .string()
    .optional()
    .transform((v) => v !== "0" && v !== "false"),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

/** The validated environment, read once. Empty strings count as unset. */
export function env(): Env {
  if (cached) return cached;
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${lines}`);
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env between runs. */
export function resetEnvCache() {
  cached = undefined;
}

const DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production";

/** The server's secret (sessions, sealed idempotent replays); the public development one outside production. */
export function serverSecret(e: Pick<Env, "BETTER_AUTH_SECRET"> = env()): string {
  return e.BETTER_AUTH_SECRET ?? DEVELOPMENT_SECRET;
}

/**
 * What production refuses to start without, checked at boot so a misconfigured server fails at once
 * and clearly instead of answering 500 at the first sign-in.
 */
export function assertProductionConfig(e: Env = env()): void {
  if (e.NODE_ENV === "production" && !e.BETTER_AUTH_SECRET) {
    throw new Error(
      "BETTER_AUTH_SECRET must be set in production (32+ random characters, e.g. `openssl rand -hex 32`): " +
        "without it sessions would be signed with the public development secret.",
    );
  }
}

/**
 * Session cookies are Secure in production unless the console is served over plain http on this machine
 * (APP_URL http://localhost… or a loopback address: the e2e and CI runs). An unset APP_URL is no excuse.
 */
export function secureCookies(e: Pick<Env, "NODE_ENV" | "APP_URL">): boolean {
  if (e.NODE_ENV !== "production") return false;
  if (!e.APP_URL) return true;
  const url = new URL(e.APP_URL);
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  return url.protocol === "https:" || !loopback;
}
