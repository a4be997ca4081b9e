/** Plumbing for the fault and load runs: HTTP calls with timings, child processes, shell commands, stats. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One request as the client saw it. Times are ms since the run started (performance.now()). */
export type Sample = {
  op: string;
  method: string;
  path: string;
  sentAt: number;
  doneAt: number;
  ms: number;
  /** 0 when the connection failed (no HTTP answer at all). */
  status: number;
  code: string | null;
  headerRequestId: string | null;
  bodyRequestId: string | null;
  retryAfter: string | null;
  replayed: boolean;
  body: unknown;
  networkError?: string;
};

export type Caller = { key?: string; cookie?: string };

export class Client {
  constructor(
    readonly base: string,
    readonly origin: string,
  ) {}

  async call(
    op: string,
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    who: Caller,
    init: { json?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<Sample> {
    const headers: Record<string, string> = { ...init.headers };
    if (who.key) headers.authorization = `Bearer ${who.key}`;
    if (who.cookie) {
      headers.cookie = who.cookie;
      headers.origin = this.origin;
    }
    if (init.json !== undefined) headers["content-type"] = "application/json";
    const sentAt = performance.now();
    const sample: Sample = {
      op,
      method,
      path,
      sentAt,
      doneAt: sentAt,
      ms: 0,
      status: 0,
      code: null,
      headerRequestId: null,
      bodyRequestId: null,
      retryAfter: null,
      replayed: false,
      body: null,
    };
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
        signal: AbortSignal.timeout(init.timeoutMs ?? 20_000),
      });
      const text = await res.text();
      sample.status = res.status;
      sample.headerRequestId = res.headers.get("x-request-id");
      sample.retryAfter = res.headers.get("retry-after");
      sample.replayed = res.headers.get("idempotent-replayed") === "true";
      try {
        sample.body = text ? JSON.parse(text) : null;
      } catch {
        sample.body = text;
      }
      const error = (sample.body as { error?: { code?: string; request_id?: string } } | null)?.error;
      // A job's own `error` (generation_failed) is data, not the request's outcome.
      sample.code = res.status >= 400 ? (error?.code ?? null) : null;
      sample.bodyRequestId = res.status >= 400 ? (error?.request_id ?? null) : null;
    } catch (error) {
      sample.networkError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    sample.doneAt = performance.now();
    sample.ms = sample.doneAt - sentAt;
    return sample;
  }
}

/** Signs up a new console user (a new customer) and returns its Cookie header. */
export async function signUp(base: string, origin: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ email, password, name: email.split("@")[0] }),
  });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** A node process running a TypeScript entry (through tsx's loader, so the pid is the program itself). */
export function startNode(entry: string, env: Record<string, string>, logFile: string): ChildProcess {
  const log = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { ...process.env, ...env },
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  return child;
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill(signal);
  await Promise.race([exited, sleep(15_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  { timeoutMs = 60_000, everyMs = 200 } = {},
): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    try {
      if (await check()) return performance.now() - t0;
    } catch {
      /* not yet */
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Runs a shell command (the CI's stop/start commands for Postgres and Redis); throws on failure. */
export function shell(command: string, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(logFile, "a");
    fs.writeSync(log, `$ ${command}\n`);
    const child = spawn("bash", ["-c", command], { stdio: ["ignore", log, log] });
    fs.closeSync(log);
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`exit ${code}: ${command} (see ${logFile})`)),
    );
  });
}

/** Exact percentiles over the recorded latencies (every sample kept; a run is tens of thousands at most). */
export function percentiles(values: number[]): { p50: number; p90: number; p99: number; max: number } {
  if (!values.length) return { p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { p50: r1(at(0.5)), p90: r1(at(0.9)), p99: r1(at(0.99)), max: r1(sorted[sorted.length - 1]!) };
}

export const r1 = (n: number) => Math.round(n * 10) / 10;
export const r2 = (n: number) => Math.round(n * 100) / 100;

export function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** What is wrong with an error response's envelope: request id in header and body, Retry-After on 429/503. */
export function envelopeProblems(s: Sample): string[] {
  const problems: string[] = [];
  if (!s.headerRequestId?.startsWith("req_")) problems.push("no X-Request-Id");
  if (s.status >= 400) {
    if (!s.code) problems.push("no error envelope");
    if (s.bodyRequestId !== s.headerRequestId) problems.push("body request_id differs from X-Request-Id");
  }
  if ((s.status === 429 || s.status === 503) && !(Number(s.retryAfter) >= 1)) problems.push("no Retry-After");
  return problems;
}

export function describe(s: Sample): string {
  return `${s.op}: ${s.method} ${s.path} → ${s.status || s.networkError} ${s.code ?? ""} (${r1(s.ms)} ms)`;
}
