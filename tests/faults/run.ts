/**
 * Faults and load on real Postgres and Redis (issue 8), against the standalone API (`npm run api`) and
 * `npm run worker` processes:
 *
 *   1. redis     — Redis stopped mid-load: every limited request 503 rate_limiter_unavailable, no job
 *                  and no debit during the outage, normal service within seconds of its return.
 *   2. postgres  — Postgres stopped mid-load and restarted: 503 service_unavailable with request ids
 *                  meanwhile; afterwards every invariant holds and idempotent retries converge.
 *   3. worker    — a worker SIGKILLed mid-job: every job still ends exactly once.
 *   4. load      — a mixed load (FAULTS_LOAD_SECONDS, default 60): zero 5xx, invariants hold;
 *                  throughput and p99 recorded.
 *
 * Writes bench/results/faults.json and bench/results/load.json; exits 1 on any broken expectation.
 *
 *   DATABASE_URL=postgres://…/db REDIS_URL=redis://… \
 *   FAULTS_PG_STOP='…' FAULTS_PG_START='…' FAULTS_REDIS_STOP='…' FAULTS_REDIS_START='…' \
 *   npm run test:faults
 *
 * The run uses a fresh database `<db>_faults` on DATABASE_URL's server (dropped and re-created), its own
 * DATA_DIR (FAULTS_DIR, default a temp folder) and API port FAULTS_API_PORT (default 3400). The four
 * commands stop and start the real services (e.g. pg_ctl … stop -m immediate / pg_ctl … start -w,
 * redis-cli shutdown nosave / redis-server …); each must return once the service is down or up.
 * FAULTS_ONLY=redis,postgres,worker,load picks scenarios.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Pool } from "pg";
import { freshDatabase } from "../support/fresh-database";
import { checkInvariants, counts, type InvariantReport, unfinishedJobs, writesBy } from "./invariants";
import {
  Client,
  countBy,
  describe,
  envelopeProblems,
  percentiles,
  r1,
  r2,
  type Sample,
  shell,
  signUp,
  sleep,
  startNode,
  stopChild,
  waitFor,
} from "./lib";
import { type Customer, idempotentClients, mixedLoad, newCustomer } from "./load";

const env = process.env;
const SCENARIOS = ["redis", "postgres", "worker", "load"] as const;
const only = new Set((env.FAULTS_ONLY ?? SCENARIOS.join(",")).split(",").map((s) => s.trim()));
const API_PORT = Number(env.FAULTS_API_PORT ?? 3400);
const LOAD_SECONDS = Number(env.FAULTS_LOAD_SECONDS ?? 60);
const LOAD_VUS = Number(env.FAULTS_LOAD_VUS ?? 16);
const OUTAGE_MS = Number(env.FAULTS_OUTAGE_SECONDS ?? 6) * 1000;
const RATE_LIMIT = Number(env.FAULTS_RATE_LIMIT_PER_MINUTE ?? 12_000);
const SETTLE_MS = 2_500;
const WORKER_LEASE_MS = 5_000;
const CUSTOMERS = 4;
const PASSWORD = "faults-password-1";

const base = `http://127.0.0.1:${API_PORT}`;
const origin = `http://localhost:${API_PORT}`;
const client = new Client(base, origin);
const workDir = env.FAULTS_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "genmedia-faults-"));
const dataDir = path.join(workDir, "data");
const logFile = (name: string) => path.join(workDir, `${name}.log`);

/** Every response of the whole run: none may be a 500 or lack its request id. */
const everything: Sample[] = [];
const failures: string[] = [];
const t = () => performance.now();
const secs = (ms: number) => r2(ms / 1000);

function expect(ok: boolean, what: string): boolean {
  if (!ok) failures.push(what);
  console.log(`  ${ok ? "✔" : "✘"} ${what}`);
  return ok;
}

function required(name: string): string {
  const value = env[name];
  if (!value) {
    console.error(`tests/faults: set ${name} (see the header of tests/faults/run.ts)`);
    process.exit(2);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------- setup

let databaseUrl = "";
let redisUrl = "";
let api: ChildProcess | null = null;
let workers: ChildProcess[] = [];

function serverEnv(): Record<string, string> {
  return {
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    DATA_DIR: dataDir,
    SEED_DEMO: "1",
    BETTER_AUTH_SECRET: "faults-only-secret-0123456789abcdef",
    APP_URL: origin,
  };
}

async function startApi(): Promise<void> {
  api = startNode(
    "lib/server/api/server.ts",
    {
      ...serverEnv(),
      API_PORT: String(API_PORT),
      HOST: "127.0.0.1",
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      // All the load comes from one IP: its unknown-key requests must not lock the IP out for everyone.
      AUTH_FAILURES_PER_MINUTE: "1000000",
      MAX_UNFINISHED_JOBS_PER_KEY: "40",
    },
    logFile("api"),
  );
  await waitFor("the API's /health", async () => (await fetch(`${base}/api/v1/health`)).ok, {
    timeoutMs: 120_000,
    everyMs: 300,
  });
}

async function startWorkers(n: number, generationMs: number, tag: string): Promise<ChildProcess[]> {
  const started: ChildProcess[] = [];
  for (let i = 0; i < n; i++) {
    const file = logFile(`worker-${tag}-${i}`);
    const child = startNode(
      "lib/server/worker/main.ts",
      {
        ...serverEnv(),
        SEED_DEMO: "",
        WORKER_CONCURRENCY: "4",
        WORKER_LEASE_MS: String(WORKER_LEASE_MS),
        DEMO_GENERATION_MS: String(generationMs),
      },
      file,
    );
    started.push(child);
    await waitFor(
      `worker ${tag}-${i} to start`,
      async () => fs.readFileSync(file, "utf8").includes('"worker started"'),
      { timeoutMs: 120_000 },
    );
  }
  return started;
}

async function stopWorkers(list: ChildProcess[]): Promise<void> {
  await Promise.all(list.map((w) => stopChild(w)));
}

async function makeCustomers(): Promise<Customer[]> {
  const out: Customer[] = [];
  const stamp = Date.now().toString(36);
  for (let i = 0; i < CUSTOMERS; i++) {
    const email = `faults-${stamp}-${i}@example.test`;
    const cookie = await signUp(base, origin, email, PASSWORD);
    for (let n = 0; n < 3; n++) {
      const top = await client.call(
        "setup",
        "POST",
        "/api/v1/top-ups",
        { cookie },
        { json: { pack: "pack_scale" } },
      );
      if (top.status !== 201) throw new Error(`setup top-up: ${describe(top)}`);
    }
    const key = await client.call("setup", "POST", "/api/v1/keys", { cookie }, { json: { name: "faults" } });
    const secret = (key.body as { secret?: string } | null)?.secret;
    if (key.status !== 201 || !secret) throw new Error(`setup key: ${describe(key)}`);
    out.push(newCustomer(email, cookie, secret));
  }
  return out;
}

// ----------------------------------------------------------------------------------------- helpers

function summarize(samples: Sample[]) {
  return {
    requests: samples.length,
    by_status: countBy(samples, (s) =>
      s.status ? `${s.status}${s.code ? ` ${s.code}` : ""}` : "network error",
    ),
  };
}

/** Polls a limited route until it answers 200; the seconds it took. */
async function recovery(cu: Customer, from: number): Promise<number> {
  await waitFor(
    "service to recover",
    async () => {
      const s = await client.call("probe", "GET", "/api/v1/balance", { key: cu.key }, { timeoutMs: 5_000 });
      everything.push(s);
      return s.status === 200;
    },
    { timeoutMs: 60_000, everyMs: 100 },
  );
  return secs(t() - from);
}

async function drain(pool: Pool, timeoutMs = 90_000): Promise<number> {
  return secs(
    await waitFor("every job to finish", async () => (await unfinishedJobs(pool)) === 0, {
      timeoutMs,
      everyMs: 500,
    }),
  );
}

function reportInvariants(report: InvariantReport): boolean {
  let ok = true;
  for (const check of report) {
    ok =
      expect(check.ok, `invariant: ${check.name}${check.ok ? "" : ` — ${JSON.stringify(check.sample)}`}`) &&
      ok;
  }
  return ok;
}

async function convergence(
  pool: Pool,
  outcomes: Awaited<ReturnType<typeof idempotentClients>>,
): Promise<{ logical_requests: number; converged: number; problems: string[] }> {
  const prompts = outcomes.map((o) => o.prompt);
  const { rows } = await pool.query<{ prompt: string; n: number }>(
    `select prompt, count(*)::int as n from jobs where prompt = any($1) group by prompt`,
    [prompts],
  );
  const inDb = new Map(rows.map((r) => [r.prompt, r.n]));
  const problems: string[] = [];
  let converged = 0;
  for (const o of outcomes) {
    const jobs = inDb.get(o.prompt) ?? 0;
    const ok =
      o.final === 201
        ? o.jobIds.length === 1 && jobs === 1 && o.replayJobId === o.jobIds[0] && o.replayedHeader
        : o.final > 0 && o.final < 500 && jobs === 0;
    if (ok) converged++;
    else
      problems.push(
        `${o.key}: final ${o.final}, ids ${o.jobIds.join(",")}, replay ${o.replayJobId}, jobs in db ${jobs}`,
      );
  }
  return { logical_requests: outcomes.length, converged, problems: problems.slice(0, 10) };
}

// -------------------------------------------------------------------------------------- scenarios

async function outageScenario(
  kind: "redis" | "postgres",
  customers: Customer[],
  pool: Pool,
): Promise<Record<string, unknown>> {
  const stopCmd = required(kind === "redis" ? "FAULTS_REDIS_STOP" : "FAULTS_PG_STOP");
  const startCmd = required(kind === "redis" ? "FAULTS_REDIS_START" : "FAULTS_PG_START");
  const expectedCode = kind === "redis" ? "rate_limiter_unavailable" : "service_unavailable";
  console.log(`\n▶ ${kind}: stop mid-load for ${OUTAGE_MS / 1000} s, then start again`);

  const samples: Sample[] = [];
  const onSample = (s: Sample) => {
    samples.push(s);
    everything.push(s);
  };
  let stop = false;
  const load = mixedLoad({ client, customers, vus: 6, stop: () => stop, onSample, thinkMs: 20 });
  const converging = idempotentClients({ client, customers, clients: 4, stop: () => stop, onSample });
  await sleep(4_000);

  const tStop = t();
  await shell(stopCmd, logFile("services"));
  const tDown = t();
  // Requests already past the limiter when it went down may still land: count from a little later.
  await sleep(SETTLE_MS);
  const countsEarly = kind === "redis" ? await counts(pool) : null;
  await sleep(Math.max(0, OUTAGE_MS - SETTLE_MS));
  const countsLate = kind === "redis" ? await counts(pool) : null;
  const tStart = t();
  await shell(startCmd, logFile("services"));
  const tUp = t();
  const recoverySeconds = await recovery(customers[0]!, tUp);
  await sleep(4_000);
  stop = true;
  await load;
  const outcomes = await converging;

  const during = samples.filter((s) => s.sentAt >= tDown && s.doneAt <= tStart);
  const wrong = during.filter(
    (s) => s.status !== 503 || s.code !== expectedCode || envelopeProblems(s).length,
  );
  const afterRecovery = samples.filter((s) => s.sentAt >= tUp + recoverySeconds * 1000 + 1_000);
  const refusedAfter = afterRecovery.filter((s) => s.status === 503);

  expect(during.length > 0, `${kind}: ${during.length} requests sent and answered during the outage`);
  expect(
    wrong.length === 0,
    `${kind}: every one 503 ${expectedCode} with X-Request-Id = body request_id and Retry-After` +
      (wrong.length ? ` — ${wrong.length} not: ${wrong.slice(0, 3).map(describe).join("; ")}` : ""),
  );
  const result: Record<string, unknown> = {
    outage_seconds: secs(tStart - tDown),
    stop_command_seconds: secs(tDown - tStop),
    start_command_seconds: secs(tUp - tStart),
    recovery_seconds_after_start: recoverySeconds,
    during_outage: { ...summarize(during), wrong: wrong.slice(0, 5).map(describe) },
    after_recovery: { ...summarize(afterRecovery), refused_503: refusedAfter.length },
    whole_scenario: summarize(samples),
  };
  expect(
    recoverySeconds <= 10,
    `${kind}: normal service ${recoverySeconds} s after the start command returned`,
  );
  expect(refusedAfter.length === 0, `${kind}: no 503 from 1 s after recovery (${refusedAfter.length})`);

  if (kind === "redis") {
    const writes = await writesBy(
      pool,
      during.map((s) => s.headerRequestId).filter((id): id is string => !!id),
    );
    const creditsAndDebits = (c: Record<string, number> | null) => ({
      jobs: c?.jobs ?? 0,
      job_charges: c?.["ledger:job_charge"] ?? 0,
      top_ups: c?.["ledger:top_up"] ?? 0,
    });
    const early = creditsAndDebits(countsEarly);
    const late = creditsAndDebits(countsLate);
    result.writes_by_outage_requests = writes;
    result.counts_during_outage = { from_2_5_s_in: early, at_its_end: late };
    expect(
      writes.jobs === 0 && writes.ledger === 0,
      `redis: outage requests wrote ${writes.jobs} jobs, ${writes.ledger} ledger rows`,
    );
    expect(
      JSON.stringify(early) === JSON.stringify(late),
      `redis: jobs / charges / top-ups unchanged through the outage (${JSON.stringify(early)} → ${JSON.stringify(late)})`,
    );
  }

  result.drain_seconds = await drain(pool);
  const conv = await convergence(pool, outcomes);
  result.idempotent_retries = conv;
  expect(
    conv.logical_requests > 0 && conv.problems.length === 0,
    `${kind}: ${conv.converged}/${conv.logical_requests} idempotent retries converged to one job each${
      conv.problems.length ? ` — ${conv.problems.join("; ")}` : ""
    }`,
  );
  const invariants = await checkInvariants(pool);
  result.invariants_ok = reportInvariants(invariants);
  result.invariants = invariants.map(({ name, ok, violations }) => ({ name, ok, violations }));
  return result;
}

async function workerKillScenario(customers: Customer[], pool: Pool): Promise<Record<string, unknown>> {
  console.log("\n▶ worker: SIGKILL a worker process mid-job");
  await stopWorkers(workers);
  const [victim, survivor] = await startWorkers(2, 2_500, "kill");
  workers = [survivor!];

  const prompts = [
    ...Array.from({ length: 16 }, (_, i) => ({ prompt: `kill plain ${i}`, expect: "succeeded" })),
    ...Array.from({ length: 4 }, (_, i) => ({ prompt: `kill ${i} !fail-once`, expect: "succeeded" })),
    ...Array.from({ length: 4 }, (_, i) => ({ prompt: `kill ${i} !fail`, expect: "failed" })),
  ];
  const created: { id: string; expect: string; cu: Customer }[] = [];
  for (const [i, p] of prompts.entries()) {
    const cu = customers[i % customers.length]!;
    const s = await client.call(
      "POST /jobs",
      "POST",
      "/api/v1/jobs",
      { key: cu.key },
      {
        json: { product: "text-to-image", prompt: p.prompt, params: { width: 64, height: 64 } },
      },
    );
    everything.push(s);
    const id = (s.body as { id?: string } | null)?.id;
    if (s.status !== 201 || !id) throw new Error(`worker scenario: ${describe(s)}`);
    created.push({ id, expect: p.expect, cu });
  }
  const ids = created.map((c) => c.id);
  const running = async () =>
    (
      await pool.query<{ n: number }>(
        `select count(*)::int as n from jobs where status = 'running' and id = any($1)`,
        [ids],
      )
    ).rows[0]!.n;
  await waitFor("both workers busy", async () => (await running()) >= 8, { timeoutMs: 30_000, everyMs: 100 });
  const runningAtKill = await running();
  victim!.kill("SIGKILL");
  await new Promise((r) => victim!.once("exit", r));
  const doneSeconds = secs(
    await waitFor(
      "every job to end",
      async () =>
        (
          await pool.query<{ n: number }>(
            `select count(*)::int as n from jobs where id = any($1) and status in ('queued', 'running')`,
            [ids],
          )
        ).rows[0]!.n === 0,
      { timeoutMs: 120_000, everyMs: 250 },
    ),
  );

  const { rows } = await pool.query<{
    id: string;
    status: string;
    attempts: number;
    refunded: boolean;
    charges: number;
    refunds: number;
    output: { storage_key?: string } | null;
  }>(
    `select j.id, j.status, j.attempts, j.refunded, j.output,
            (select count(*) from ledger_entries l where l.job_id = j.id and l.kind = 'job_charge')::int as charges,
            (select count(*) from ledger_entries l where l.job_id = j.id and l.kind = 'job_refund')::int as refunds
       from jobs j where j.id = any($1)`,
    [ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const problems: string[] = [];
  let outputFiles = 0;
  let orphanFiles = 0;
  for (const c of created) {
    const row = byId.get(c.id)!;
    const viaApi = await client.call("GET /jobs/{id}", "GET", `/api/v1/jobs/${c.id}`, { key: c.cu.key });
    everything.push(viaApi);
    const apiStatus = (viaApi.body as { status?: string } | null)?.status;
    if (apiStatus !== row.status) problems.push(`${c.id}: API says ${apiStatus}, database ${row.status}`);
    if (row.charges !== 1) problems.push(`${c.id}: ${row.charges} charges`);
    if (row.status === "succeeded") {
      if (row.refunds !== 0) problems.push(`${c.id}: succeeded but refunded ${row.refunds}×`);
      const file = row.output?.storage_key && path.join(dataDir, "uploads", row.output.storage_key);
      if (!file || !fs.existsSync(file)) problems.push(`${c.id}: output file missing`);
      else outputFiles++;
      const out = await client.call("GET /jobs/{id}/output", "GET", `/api/v1/jobs/${c.id}/output`, {
        key: c.cu.key,
      });
      everything.push(out);
      if (out.status !== 200) problems.push(`${c.id}: output ${out.status}`);
    } else if (row.status === "failed") {
      if (row.refunds !== 1 || !row.refunded) problems.push(`${c.id}: failed with ${row.refunds} refunds`);
    } else problems.push(`${c.id}: ended ${row.status}`);
    const dir = path.join(dataDir, "uploads", "outputs", c.id);
    if (fs.existsSync(dir)) orphanFiles += fs.readdirSync(dir).length - (row.status === "succeeded" ? 1 : 0);
  }
  const reaped = fs
    .readFileSync(logFile("worker-kill-1"), "utf8")
    .split("\n")
    .filter((l) => l.includes("reaped expired leases"))
    .map((l) => JSON.parse(l) as { requeued: number; failed: number })
    .reduce((a, b) => ({ requeued: a.requeued + b.requeued, failed: a.failed + b.failed }), {
      requeued: 0,
      failed: 0,
    });
  const statuses = countBy(rows, (r) => r.status);
  const unexpected = created.filter((c) => byId.get(c.id)!.status !== c.expect).map((c) => c.id);

  expect(
    runningAtKill >= 8,
    `worker: ${runningAtKill} jobs running when one of two workers (4 each) was killed`,
  );
  expect(
    reaped.requeued + reaped.failed >= 1,
    `worker: the survivor's reaper recovered ${reaped.requeued + reaped.failed} expired leases`,
  );
  expect(
    problems.length === 0,
    `worker: every job ended exactly once (one terminal state, one charge, refunds only for failures)${problems.length ? ` — ${problems.join("; ")}` : ""}`,
  );
  expect(
    unexpected.length === 0,
    `worker: each job ended as its prompt says (${JSON.stringify(statuses)})${unexpected.length ? ` — unexpected: ${unexpected.join(",")}` : ""}`,
  );
  const invariants = await checkInvariants(pool);
  const invariantsOk = reportInvariants(invariants);

  await stopWorkers(workers);
  workers = await startWorkers(2, 200, "load");
  return {
    jobs: created.length,
    running_at_kill: runningAtKill,
    all_ended_seconds_after_kill: doneSeconds,
    reaper: reaped,
    statuses,
    attempts: countBy(rows, (r) => String(r.attempts)),
    output_files: outputFiles,
    orphan_output_files_from_killed_attempts: orphanFiles,
    problems,
    invariants_ok: invariantsOk,
  };
}

async function loadScenario(customers: Customer[], pool: Pool): Promise<Record<string, unknown>> {
  console.log(
    `\n▶ load: ${LOAD_SECONDS} s mixed load, ${LOAD_VUS} virtual users, ${customers.length} customers`,
  );
  const samples: Sample[] = [];
  const t0 = t();
  const end = t0 + LOAD_SECONDS * 1000;
  await mixedLoad({
    client,
    customers,
    vus: LOAD_VUS,
    stop: () => t() >= end,
    onSample: (s) => {
      samples.push(s);
      everything.push(s);
    },
  });
  const seconds = (t() - t0) / 1000;
  const expected502 = (s: Sample) =>
    s.status === 502 && s.code === "service_unavailable" && s.op.includes("!unavailable");
  const fiveXX = samples.filter((s) => (s.status >= 500 && !expected502(s)) || s.status === 0);
  const enveloping = samples.filter((s) => envelopeProblems(s).length);
  const limited = samples.filter((s) => s.status === 429);
  const ops = [...new Set(samples.map((s) => s.op))].sort();
  const drainSeconds = await drain(pool);

  // Idempotency-Keys used during the load: each key's 2xx answers name one job, and one job exists.
  const keyed = customers.flatMap((cu) => [...cu.idempotent.values()]);
  const created = keyed.filter((k) => k.jobIds.size > 0);
  const { rows } = await pool.query<{ prompt: string; n: number }>(
    `select prompt, count(*)::int as n from jobs where prompt = any($1) group by prompt`,
    [keyed.map((k) => k.body.prompt)],
  );
  const inDb = new Map(rows.map((r) => [r.prompt, r.n]));
  const idemProblems = keyed.filter(
    (k) => k.jobIds.size > 1 || (inDb.get(k.body.prompt) ?? 0) !== k.jobIds.size,
  );

  const result = {
    at: new Date().toISOString(),
    seconds: r2(seconds),
    virtual_users: LOAD_VUS,
    customers: customers.length,
    rate_limit_per_minute_per_key: RATE_LIMIT,
    requests: samples.length,
    throughput_rps: r1(samples.length / seconds),
    latency_ms: percentiles(samples.map((s) => s.ms)),
    five_xx: fiveXX.length,
    expected_502_unavailable_trigger: samples.filter(expected502).length,
    rate_limited_429: limited.filter((s) => s.code === "rate_limited").length,
    queue_full_429: limited.filter((s) => s.code === "queue_full").length,
    envelope_problems: enveloping.length,
    by_status: summarize(samples).by_status,
    by_operation: Object.fromEntries(
      ops.map((op) => {
        const of = samples.filter((s) => s.op === op);
        return [
          op,
          {
            requests: of.length,
            ...percentiles(of.map((s) => s.ms)),
            statuses: countBy(of, (s) => String(s.status)),
          },
        ];
      }),
    ),
    idempotency_keys: {
      used: keyed.length,
      created_a_job: created.length,
      replays: keyed.reduce((n, k) => n + k.replays, 0),
      problems: idemProblems.length,
    },
    drain_seconds: drainSeconds,
    invariants_ok: false,
  };
  expect(
    fiveXX.length === 0,
    `load: zero 5xx (${fiveXX.length}${fiveXX.length ? `: ${fiveXX.slice(0, 3).map(describe).join("; ")}` : ""})`,
  );
  expect(
    enveloping.length === 0,
    `load: every response has its request id, every error its envelope (${enveloping.length} not)`,
  );
  expect(
    idemProblems.length === 0,
    `load: ${created.length} Idempotency-Keys each made one job (${idemProblems.length} did not)`,
  );
  result.invariants_ok = reportInvariants(await checkInvariants(pool));
  console.log(
    `  throughput ${result.throughput_rps} req/s, p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms; ` +
      `429s: ${result.rate_limited_429} rate_limited, ${result.queue_full_429} queue_full`,
  );
  return result;
}

// -------------------------------------------------------------------------------------------- main

function secretsInLogs(customers: Customer[]): string[] {
  const secrets = customers.flatMap((c) => [
    c.key,
    PASSWORD,
    ...c.cookie.split("; ").map((kv) => decodeURIComponent(kv.split("=")[1] ?? "").split(".")[0]!),
  ]);
  const found: string[] = [];
  for (const file of fs.readdirSync(workDir).filter((f) => f.endsWith(".log"))) {
    const text = fs.readFileSync(path.join(workDir, file), "utf8");
    for (const secret of secrets)
      if (secret.length >= 16 && text.includes(secret)) found.push(`${file}: ${secret.slice(0, 12)}…`);
  }
  return found;
}

async function main() {
  const adminUrl = required("DATABASE_URL");
  redisUrl = required("REDIS_URL");
  const started = t();
  fs.mkdirSync(dataDir, { recursive: true });
  console.log(`tests/faults: work dir ${workDir}, API on ${base}`);
  databaseUrl = await freshDatabase(adminUrl, "faults");
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  pool.on("error", () => {
    /* the database is stopped on purpose */
  });

  const results: Record<string, unknown> = {};
  let load: Record<string, unknown> | null = null;
  let customers: Customer[] = [];
  try {
    await startApi();
    workers = await startWorkers(2, 200, "load");
    customers = await makeCustomers();
    for (const scenario of SCENARIOS) {
      if (!only.has(scenario)) continue;
      const s0 = t();
      if (scenario === "redis" || scenario === "postgres")
        results[scenario] = await outageScenario(scenario, customers, pool);
      if (scenario === "worker") results.worker_kill = await workerKillScenario(customers, pool);
      if (scenario === "load") load = await loadScenario(customers, pool);
      console.log(`  (${scenario}: ${secs(t() - s0)} s)`);
    }
  } catch (error) {
    failures.push(`aborted: ${error instanceof Error ? error.message : String(error)}`);
    console.error(error);
  } finally {
    await stopWorkers(workers);
    if (api) await stopChild(api);
  }

  const fiveHundreds = everything.filter((s) => s.status === 500);
  expect(
    fiveHundreds.length === 0,
    `whole run: no 500 internal_error (${fiveHundreds.length} of ${everything.length})`,
  );
  const missingIds = everything.filter((s) => s.status > 0 && !s.headerRequestId);
  expect(
    missingIds.length === 0,
    `whole run: every response carries X-Request-Id (${missingIds.length} did not)`,
  );
  const leaked = customers.length ? secretsInLogs(customers) : [];
  expect(
    leaked.length === 0,
    `whole run: no key secret, password or session token in the API's or workers' output${leaked.length ? ` — ${leaked.join("; ")}` : ""}`,
  );

  const { rows } = await pool
    .query<{ version: string }>("select version()")
    .catch(() => ({ rows: [{ version: "?" }] }));
  await pool.end();
  const machine = {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? null,
    node: process.version,
    loadavg: os.loadavg().map(r2),
  };
  const ok = failures.length === 0;
  const outDir = path.join(process.cwd(), "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  const common = { at: new Date().toISOString(), postgres: rows[0]?.version, machine };
  if (only.has("redis") || only.has("postgres") || only.has("worker")) {
    fs.writeFileSync(
      path.join(outDir, "faults.json"),
      `${JSON.stringify({ ...common, ok, failures, total_seconds: secs(t() - started), scenarios: results }, null, 2)}\n`,
    );
  }
  if (load)
    fs.writeFileSync(
      path.join(outDir, "load.json"),
      `${JSON.stringify({ ...common, ok, ...load }, null, 2)}\n`,
    );
  console.log(
    `\n${ok ? "✔ faults and load passed" : `✘ ${failures.length} failed:\n  - ${failures.join("\n  - ")}`} (${secs(t() - started)} s; logs in ${workDir})`,
  );
  if (ok && !env.FAULTS_DIR) fs.rmSync(workDir, { recursive: true, force: true });
  process.exit(ok ? 0 : 1);
}

void main();
