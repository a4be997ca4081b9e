/**
 * The SDK against the real thing (`npm run test:sdk`, a stage of .ci/run): the standalone API
 * (lib/server/api/server.ts) and a job worker (lib/server/worker/main.ts) as their own processes, on the
 * real Postgres (DATABASE_URL) and Redis (REDIS_URL). Nothing is mocked: every catalog code the API can
 * answer with is provoked through the SDK and must arrive as its typed GenmediaError, with the request
 * id the server logged; retries after a real 503 (Redis cut off, through a proxy this file owns) and
 * after a gateway's 503 (a proxy that drops the server's answer) reuse the Idempotency-Key and charge
 * once, as the ledger on the server says.
 *
 * Ports: SDK_API_PORT (default 3210) for the API, +1 the Redis proxy, +2 the gateway.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { snippet } from "@/lib/api/snippets";
import {
  type ErrorCode,
  Genmedia,
  GenmediaError,
  type GenmediaOptions,
  type Job,
  type RetryEvent,
  unwrap,
} from "../../src/index";
import { tcpProxy } from "../../../tests/support/tcp-proxy";

const { DATABASE_URL, REDIS_URL } = process.env;
if (!DATABASE_URL || !REDIS_URL)
  throw new Error("npm run test:sdk needs a real Postgres and Redis: set DATABASE_URL and REDIS_URL");

const ROOT = path.resolve(import.meta.dirname, "../../..");
const PORT = Number(process.env.SDK_API_PORT ?? 3210);
const REDIS_PROXY_PORT = PORT + 1;
const GATEWAY_PORT = PORT + 2;
const BASE = `http://127.0.0.1:${PORT}`;
const ORIGIN = `http://localhost:${PORT}`;
const LIMITS = { RATE_LIMIT_PER_MINUTE: 60, MAX_UNFINISHED_JOBS_PER_KEY: 2, MAX_UPLOAD_BYTES: 65_536 };
const WORK = fs.mkdtempSync(path.join(process.env.SDK_DATA_DIR ?? os.tmpdir(), "genmedia-sdk-"));

// ------------------------------------------------------------------------------------ the servers

/** A TCP proxy to the run's Redis that the tests cut (as if Redis stopped) and reopen. */
function redisProxy() {
  const target = new URL(REDIS_URL!);
  return {
    url: `redis://127.0.0.1:${REDIS_PROXY_PORT}${target.pathname}`,
    ...tcpProxy(target, REDIS_PROXY_PORT),
  };
}

/**
 * A gateway in front of the API. Armed, it forwards the next POST, lets the server answer it in full,
 * and gives the client a 503 page instead: a response lost on the way back.
 */
function gateway() {
  let armed = false;
  const seen: { method: string; key: string | undefined; status: number }[] = [];
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      { host: "127.0.0.1", port: PORT, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const drop = armed && req.method === "POST";
        seen.push({
          method: req.method!,
          key: req.headers["idempotency-key"] as string | undefined,
          status: answer.statusCode!,
        });
        if (drop) {
          armed = false;
          answer.resume();
          answer.on("end", () =>
            res.writeHead(503, { "content-type": "text/html" }).end("<h1>503 Service Unavailable</h1>"),
          );
          return;
        }
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  return {
    seen,
    arm: () => void (armed = true),
    start: () => new Promise<void>((resolve) => server.listen(GATEWAY_PORT, "127.0.0.1", resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function startNode(entry: string, env: Record<string, string>, log: string): ChildProcess {
  const out = fs.openSync(path.join(WORK, log), "a");
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  return child;
}

async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await ready().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what} (logs in ${WORK})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const run = promisify(execFile);
const redis = redisProxy();
const gate = gateway();
let api: ChildProcess;
let worker: ChildProcess;
let workerReady: Promise<void>;

beforeAll(async () => {
  await Promise.all([redis.open(), gate.start()]);
  const common = {
    NODE_ENV: "production",
    DATABASE_URL: DATABASE_URL!,
    REDIS_URL: redis.url,
    DATA_DIR: path.join(WORK, "data"),
    BETTER_AUTH_SECRET: "sdk-tests-only-secret-0123456789abcdef",
    APP_URL: ORIGIN,
  };
  api = startNode(
    "lib/server/api/server.ts",
    {
      ...common,
      SEED_DEMO: "1",
      API_PORT: String(PORT),
      HOST: "127.0.0.1",
      AUTH_FAILURES_PER_MINUTE: "100000",
      ...Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, String(v)])),
    },
    "api.log",
  );
  await waitFor("the API", async () => (await fetch(`${BASE}/api/v1/health`)).ok);
  // Started once the API has migrated and seeded the database; the tests that need it wait for it.
  worker = startNode(
    "lib/server/worker/main.ts",
    { ...common, DEMO_GENERATION_MS: "100", WORKER_CONCURRENCY: "4" },
    "worker.log",
  );
  workerReady = waitFor("the worker", async () =>
    fs.readFileSync(path.join(WORK, "worker.log"), "utf8").includes('"worker started"'),
  );
  workerReady.catch(() => {});
}, 180_000);

afterAll(async () => {
  const stop = (child: ChildProcess | undefined) =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGCONT");
      child.kill("SIGTERM");
    });
  await Promise.all([stop(api), stop(worker), redis.cut(), gate.stop()]);
  fs.rmSync(WORK, { recursive: true, force: true });
});

// ----------------------------------------------------------------------------------- the accounts

async function console_(cookie: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${BASE}/api/v1${url}`, {
    method,
    headers: { cookie, origin: ORIGIN, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

type Account = {
  cookie: string;
  keyId: string;
  secret: string;
  sdk: (o?: Partial<GenmediaOptions>) => Genmedia;
};

/** A new customer (0 credits, or 500 after a test-mode top-up); `key()` makes it a key in the console. */
async function customer(tag: string, { credits = true } = {}) {
  const email = `sdk-${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const signUp = await fetch(`${BASE}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN },
    body: JSON.stringify({ email, password: "sdk-password-1", name: "SDK test" }),
  });
  expect(signUp.status, await signUp.clone().text()).toBe(200);
  const cookie = signUp.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const key = async (options: Record<string, unknown> = {}): Promise<Account> => {
    const created = await console_(cookie, "POST", "/keys", { name: `sdk ${tag}`, ...options });
    const secret = created.secret as string;
    const sdk = (o: Partial<GenmediaOptions> = {}) =>
      // No retries unless a test asks: an error then arrives at once, as the server answered it.
      new Genmedia({ apiKey: secret, baseUrl: BASE, retry: { maxRetries: 0 }, ...o });
    return { cookie, keyId: created.id as string, secret, sdk };
  };
  const first = await key();
  if (credits) await unwrap(first.sdk().api.POST("/api/v1/top-ups", { body: { pack: "pack_starter" } }));
  return { ...first, key };
}

/**
 * A key of one of two shared customers (sign-ups are slow), with or without credits, or of a customer
 * of its own (`own`: for the tests that count the customer's charges).
 */
const shared: Partial<Record<"poor" | "rich", ReturnType<typeof customer>>> = {};
async function account(
  tag: string,
  { credits = true, own = false, key = {} as Record<string, unknown> } = {},
) {
  if (own) return customer(tag);
  const which = credits ? "rich" : "poor";
  return (await (shared[which] ??= customer(which, { credits }))).key(key);
}

/** The call's typed error; its request id must be the one the server logged, with the same code. */
async function expectError(call: Promise<unknown>, code: ErrorCode, status: number, acct?: Account) {
  const error = await call.then(
    (value) => {
      throw new Error(`expected ${code}, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GenmediaError);
  const e = error as GenmediaError;
  expect({ code: e.code, status: e.status }).toEqual({ code, status });
  expect(e.requestId).toMatch(/^req_[0-9A-Za-z]+$/);
  expect(e.message.length).toBeGreaterThan(0);
  if (acct) {
    const story = await console_(acct.cookie, "GET", `/requests/${e.requestId}`);
    expect(story.request).toMatchObject({ request_id: e.requestId, code, status });
  }
  return e;
}

const job = (prompt: string, product = "text-to-image") => ({ product, prompt });
const ledger = async (gm: Genmedia) =>
  (await unwrap(gm.api.GET("/api/v1/ledger", { params: { query: { limit: 100 } } }))).data;

// The code is the catalog's union, not any string (checked by tsc).
// @ts-expect-error not a catalog code
const notACode: GenmediaError["code"] = "teapot";
void notACode;

// ------------------------------------------------------------------------------------------ tests

describe("every catalog code arrives as its typed GenmediaError with the logged request id", () => {
  it("authentication_failed (401): an unknown key", async () => {
    const gm = new Genmedia({ apiKey: "sk_live_not-a-key", baseUrl: BASE, retry: { maxRetries: 0 } });
    await expectError(gm.balance.get(), "authentication_failed", 401);
  });

  it("account_disabled (403): a paused key", async () => {
    const acct = await account("paused", { credits: false });
    await console_(acct.cookie, "PATCH", `/keys/${acct.keyId}`, { status: "paused" });
    const e = await expectError(acct.sdk().balance.get(), "account_disabled", 403, acct);
    expect(e.details).toEqual({ scope: "key" });
  });

  it("ip_not_allowed and origin_not_allowed (403): the key's allowlists", async () => {
    const byIp = await account("ip", { credits: false, key: { allowed_ips: ["203.0.113.0/24"] } });
    const ip = await expectError(byIp.sdk().balance.get(), "ip_not_allowed", 403, byIp);
    expect(ip.details?.ip).toMatch(/127\.0\.0\.1/);
    const byOrigin = await account("origin", {
      credits: false,
      key: { allowed_origins: ["https://app.example.com"] },
    });
    const origin = await expectError(byOrigin.sdk().balance.get(), "origin_not_allowed", 403, byOrigin);
    expect(origin.details).toEqual({ origin: null });
  });

  it("the job codes: invalid_request, invalid_product, source_image_required, product_paused, insufficient_balance", async () => {
    const acct = await account("jobs", { credits: false });
    const gm = acct.sdk();
    const invalid = await expectError(gm.jobs.create(job("")), "invalid_request", 400, acct);
    expect(invalid.details?.fields).toEqual([{ path: "prompt", message: expect.any(String) }]);
    const product = await expectError(gm.jobs.create(job("x", "nope")), "invalid_product", 400, acct);
    expect(product.details).toEqual({ product: "nope" });
    await expectError(gm.jobs.create(job("x", "image-edit")), "source_image_required", 400, acct);
    const paused = await expectError(gm.jobs.create(job("x", "legacy-upscale")), "product_paused", 409, acct);
    expect(paused.details).toEqual({ product: "legacy-upscale" });
    const poor = await expectError(gm.jobs.create(job("x")), "insufficient_balance", 402, acct);
    expect(poor.details).toMatchObject({ available: 0, required: expect.any(Number) });
  });

  it("invalid_pack (400) through the generated client for any path", async () => {
    const acct = await account("pack", { credits: false });
    const e = await expectError(
      unwrap(acct.sdk().api.POST("/api/v1/top-ups", { body: { pack: "pack_nope" } })),
      "invalid_pack",
      400,
      acct,
    );
    expect(e.details?.fields).toEqual([{ path: "pack", message: expect.any(String) }]);
  });

  it("uploads: a PNG is stored and feeds an image edit; invalid_image and image_too_large (400)", async () => {
    const acct = await account("uploads");
    const gm = acct.sdk();
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#c84" } })
      .png()
      .toBuffer();
    const stored = await gm.uploads.create(new Blob([new Uint8Array(png)], { type: "image/png" }), "a.png");
    expect(stored).toMatchObject({ content_type: "image/png", width: 40, height: 30, bytes: png.length });
    await expectError(
      gm.uploads.create(new Blob(["not an image"], { type: "image/png" }), "b.png"),
      "invalid_image",
      400,
      acct,
    );
    const big = new Blob([new Uint8Array(LIMITS.MAX_UPLOAD_BYTES + 10_000)], { type: "image/png" });
    const tooLarge = await expectError(gm.uploads.create(big, "big.png"), "image_too_large", 400, acct);
    expect(tooLarge.details).toMatchObject({ max_bytes: LIMITS.MAX_UPLOAD_BYTES });

    await workerReady;
    const edit = await gm.jobs.create({
      product: "image-edit",
      prompt: "warmer",
      source_image_url: stored.url,
    });
    const done = await gm.waitForJob(edit.id, { timeoutMs: 30_000, intervalMs: 100 });
    expect(done).toMatchObject({ status: "succeeded", output: { content_type: "image/png" } });
  });

  it("not_found (404), idempotency_conflict and invalid_state (409); a job waited for to the end", async () => {
    const acct = await account("states", { own: true });
    const gm = acct.sdk();
    await expectError(gm.jobs.get("job_01JZZZZZZZZZZZZZZZZZZZZZZZ"), "not_found", 404, acct);

    const key = `sdk-test-${Date.now()}`;
    const first = await gm.jobs.create(job("one"), { idempotencyKey: key });
    await expectError(gm.jobs.create(job("two"), { idempotencyKey: key }), "idempotency_conflict", 409, acct);

    await workerReady;
    const done = await gm.waitForJob(first.id, { timeoutMs: 30_000, intervalMs: 100 });
    expect(done).toMatchObject({ id: first.id, status: "succeeded", error: null });
    expect(done.output?.url).toBeTruthy();
    const e = await expectError(gm.jobs.cancel(first.id), "invalid_state", 409, acct);
    expect(e.details).toEqual({ status: "succeeded", allowed_from: ["queued"] });
    await expectError(gm.jobs.retry(first.id), "invalid_state", 409, acct);
    // One charge for the one job the conflicting key made.
    expect((await ledger(gm)).filter((l) => l.kind === "job_charge")).toHaveLength(1);
  });

  it("generation_failed: a job that fails ends failed with the code, refunded; waitForJob resolves with it", async () => {
    const acct = await account("fail");
    const gm = acct.sdk();
    await workerReady;
    const before = (await gm.balance.get()).credits;
    const created = await gm.jobs.create(job("a cat !fail"));
    const done: Job = await gm.waitForJob(created.id, { timeoutMs: 45_000, intervalMs: 200 });
    expect(done).toMatchObject({ status: "failed", refunded: true, error: { code: "generation_failed" } });
    expect((await gm.balance.get()).credits).toBe(before);
  });

  it("queue_full (429) while the worker is stopped; waitForJob gives up at its timeout and on abort", async () => {
    const acct = await account("queue");
    const gm = acct.sdk();
    await workerReady;
    worker.kill("SIGSTOP");
    try {
      const queued = [await gm.jobs.create(job("q1")), await gm.jobs.create(job("q2"))];
      const e = await expectError(gm.jobs.create(job("q3")), "queue_full", 429, acct);
      expect(e.details).toEqual({ unfinished: 2, limit: LIMITS.MAX_UNFINISHED_JOBS_PER_KEY });
      expect(e.retryAfter).toBeGreaterThanOrEqual(1);

      const timedOut = await gm.waitForJob(queued[0]!.id, { timeoutMs: 300, intervalMs: 50 }).catch((x) => x);
      expect((timedOut as Error).name).toBe("TimeoutError");
      const controller = new AbortController();
      const waiting = gm.waitForJob(queued[1]!.id, { signal: controller.signal, intervalMs: 50 });
      controller.abort(new Error("no longer needed"));
      await expect(waiting).rejects.toThrow("no longer needed");
      for (const q of queued) expect((await gm.jobs.cancel(q.id)).status).toBe("canceled");
    } finally {
      worker.kill("SIGCONT");
    }
  });

  it("rate_limited (429) with its details; a Retry-After past maxDelayMs is not waited for", async () => {
    const acct = await account("rate", { credits: false });
    const gm = acct.sdk();
    let error: unknown = null;
    for (let i = 0; i <= LIMITS.RATE_LIMIT_PER_MINUTE && !error; i++)
      error = await gm.balance.get().then(
        () => null,
        (e: unknown) => e,
      );
    const e = await expectError(Promise.reject(error), "rate_limited", 429, acct);
    expect(e.details).toMatchObject({ limit: LIMITS.RATE_LIMIT_PER_MINUTE, window_seconds: 60 });
    expect(e.retryAfter).toBe(e.details?.retry_after);

    const onRetry = vi.fn();
    const patient = acct.sdk({ retry: { maxRetries: 3, maxDelayMs: 5_000 }, onRetry });
    await expectError(patient.balance.get(), "rate_limited", 429);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it("service_unavailable (502): the backend unavailable, nothing charged", async () => {
    const acct = await account("unavailable");
    const gm = acct.sdk();
    const before = (await gm.balance.get()).credits;
    const e = await expectError(gm.jobs.create(job("hello !unavailable")), "service_unavailable", 502, acct);
    expect(e.retryAfter).toBeGreaterThanOrEqual(1);
    expect((await gm.balance.get()).credits).toBe(before);
  });

  it("rate_limiter_unavailable and service_unavailable (503) while Redis is cut off", async () => {
    const acct = await account("redis", { credits: false });
    const gm = acct.sdk();
    await redis.cut();
    try {
      const e = await expectError(gm.balance.get(), "rate_limiter_unavailable", 503);
      expect(e.retryAfter).toBeGreaterThanOrEqual(1);
      const health = await expectError(gm.health(), "service_unavailable", 503);
      expect(health.details).toMatchObject({ rate_limiter: "down", database: "ok" });
    } finally {
      await redis.open();
    }
    await waitFor("the rate limiter", async () => (await gm.health()).rate_limiter === "ok", 20_000);
  });
});

describe("retries reuse the Idempotency-Key and charge once", () => {
  it("a POST refused with 503 while Redis is down runs once Redis is back, charged once", async () => {
    const acct = await account("retry-redis", { own: true });
    const events: RetryEvent[] = [];
    const gm = acct.sdk({
      retry: { maxRetries: 4 },
      onRetry: (event) => {
        events.push(event);
        if (events.length === 1) void redis.open();
      },
    });
    const before = (await gm.balance.get()).credits;
    await redis.cut();
    const created = await gm.jobs.create(job("through the outage")).finally(() => redis.open());

    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events[0]).toMatchObject({ retry: 1, status: 503, method: "POST" });
    const key = events[0]!.idempotencyKey!;
    expect(key).toMatch(/^sdk_/);
    expect(events.every((e) => e.idempotencyKey === key)).toBe(true);
    // The server saw the refused attempt and the retry under one key, and charged once.
    const refused = (await console_(acct.cookie, "GET", "/requests?code=rate_limiter_unavailable")) as {
      data: { idempotency_key: string | null; status: number }[];
    };
    expect(refused.data.filter((r) => r.idempotency_key === key).length).toBeGreaterThanOrEqual(1);
    const charges = (await ledger(gm)).filter((l) => l.kind === "job_charge");
    expect(charges).toMatchObject([{ job_id: created.id, credits: -created.cost_credits }]);
    expect((await gm.balance.get()).credits).toBe(before - created.cost_credits);
    expect((await gm.jobs.list()).data.map((j) => j.id)).toEqual([created.id]);
  });

  it("a gateway's 503 after the server answered: the retry replays that answer, charged once", async () => {
    const acct = await account("retry-gateway", { own: true });
    const events: RetryEvent[] = [];
    const gm = acct.sdk({
      baseUrl: `http://127.0.0.1:${GATEWAY_PORT}`,
      retry: { maxRetries: 2, baseDelayMs: 50 },
      onRetry: (e) => events.push(e),
    });
    const before = (await gm.balance.get()).credits;
    gate.arm();
    const from = gate.seen.length;
    const created = await gm.jobs.create(job("lost answer"));

    const posts = gate.seen.slice(from).filter((s) => s.method === "POST");
    expect(posts.map((p) => p.status)).toEqual([201, 201]);
    expect(posts[0]!.key).toMatch(/^sdk_/);
    expect(posts[1]!.key).toBe(posts[0]!.key);
    expect(events).toMatchObject([{ retry: 1, status: 503, idempotencyKey: posts[0]!.key }]);
    expect((await gm.jobs.list()).data.map((j) => j.id)).toEqual([created.id]);
    expect((await ledger(gm)).filter((l) => l.kind === "job_charge")).toHaveLength(1);
    expect((await gm.balance.get()).credits).toBe(before - created.cost_credits);
  });
});

describe("the documents", () => {
  it("the README's five-line program creates a job and waits for it", async () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const program = /## SDK[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(program).toBeDefined();
    expect(program!.trim().split("\n").filter(Boolean)).toHaveLength(5);
    expect(fs.readFileSync(path.join(ROOT, "sdk/README.md"), "utf8")).toContain(program);

    const acct = await account("readme");
    await workerReady;
    const file = path.join(ROOT, `sdk/test/server/.readme-${process.pid}.ts`);
    fs.writeFileSync(file, program!);
    vi.stubEnv("GENMEDIA_API_KEY", acct.secret);
    vi.stubEnv("GENMEDIA_URL", BASE);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
      expect(log).toHaveBeenCalledWith("succeeded", expect.stringContaining("/"));
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
      fs.rmSync(file, { force: true });
    }
  });

  it("the console's snippets run: curl, then the SDK with the same Idempotency-Key, make one job, charged once", async () => {
    const acct = await account("snippets", { own: true });
    const request = {
      baseUrl: BASE,
      keyPrefix: acct.secret.slice(0, 12),
      method: "POST" as const,
      path: "/jobs",
      body: job(`from a snippet: it's "quoted" $HOME`),
      idempotencyKey: `snippet-${Date.now()}`,
    };
    // Not spawnSync: this process is the API's Redis proxy, which must keep forwarding meanwhile.
    const curl = await run("sh", ["-c", `${snippet("curl", request)} --silent`], {
      env: { ...process.env, GENMEDIA_API_KEY: acct.secret },
    });
    const created = JSON.parse(curl.stdout) as Job;
    expect(created).toMatchObject({ status: "queued", prompt: request.body.prompt });

    const file = path.join(ROOT, `sdk/test/server/.readme-snippet-${process.pid}.ts`);
    fs.writeFileSync(file, snippet("sdk", request));
    vi.stubEnv("GENMEDIA_API_KEY", acct.secret);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await import(/* @vite-ignore */ file);
      expect(log).toHaveBeenCalledWith(expect.objectContaining({ id: created.id }));
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
      fs.rmSync(file, { force: true });
    }
    expect((await ledger(acct.sdk())).filter((l) => l.kind === "job_charge")).toHaveLength(1);
  });

  it("the served OpenAPI document is the one the SDK was generated from", async () => {
    const served: unknown = await (await fetch(`${BASE}/api/v1/openapi.json`)).json();
    expect(served).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, "sdk/openapi.json"), "utf8")));
  });
});
