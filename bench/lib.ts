import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";

export type Measure = { name: string; rps: number; p50: number; p99: number; non2xx: number; errors: number };

/** CPU pinning: `taskset` when the machine has one and more than one core, else nothing. */
export const hasTaskset = spawnSync("taskset", ["-V"]).status === 0 && os.cpus().length > 1;

/** Pins this process (autocannon runs in it) to `cpus`; false when it could not. */
export function pinSelf(cpus: string): boolean {
  return hasTaskset && spawnSync("taskset", ["-p", "-c", cpus, String(process.pid)]).status === 0;
}

/**
 * Starts a server process and waits until `healthUrl` answers 200. `cpus` pins it (taskset -c) so the
 * load generator does not share its core. `nodeArgs` go to node (`--cpu-prof`).
 */
export async function startServer(
  label: string,
  args: string[],
  env: Record<string, string>,
  healthUrl: string,
  cpus?: string,
  nodeArgs: string[] = [],
  cwd?: string,
): Promise<ChildProcess> {
  const argv = [process.execPath, ...nodeArgs, "--import", "tsx", ...args];
  const pinned = cpus !== undefined && hasTaskset ? ["taskset", "-c", cpus, ...argv] : argv;
  const child = spawn(pinned[0]!, pinned.slice(1), {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}`);
    try {
      if ((await fetch(healthUrl)).ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill("SIGKILL");
  throw new Error(`${label} did not become healthy`);
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

/** Signs in through better-auth and returns the Cookie header. */
export async function signInCookie(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(base).origin },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/**
 * A session's `Cookie` header as cookies for a browser's jar. A browser must hold the session in its jar,
 * not in an extra `Cookie` header: once a page sets a cookie of its own (the console's `tz`), the jar's
 * header replaces the extra one and the session is gone (client-side navigations then land on sign-in).
 */
export function jarCookies(base: string, header: string): { name: string; value: string; url: string }[] {
  return header
    .split("; ")
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base };
    });
}

/**
 * The production console (`server.ts`, NODE_ENV=production, the demo seeded) on `port`, on its own
 * embedded database in `dataDir` and an in-memory limiter, like the e2e servers: CI exports DATABASE_URL
 * (where the pagination bench has put a million jobs on the demo customer) and REDIS_URL, which would
 * make a page bench measure another database.
 */
export async function startConsoleServer(port: string, dataDir: string): Promise<ChildProcess> {
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  const base = `http://localhost:${port}`;
  return startServer(
    "Next (server.ts)",
    ["server.ts"],
    {
      NODE_ENV: "production",
      SEED_DEMO: "1",
      PORT: port,
      APP_URL: base,
      DATA_DIR: dataDir,
      DEMO_GENERATION_MS: "200",
      BETTER_AUTH_SECRET: "bench-only-secret-0123456789abcdef",
    },
    `${base}/api/v1/health`,
  );
}

/**
 * The console a page bench measures: the running one at `<PREFIX>_URL` (seeded with SEED_DEMO=1), or a
 * fresh production server on `<PREFIX>_PORT` (default `port`). `tmp` is a scratch folder for the
 * bench; `stop()` stops the server it started and removes `tmp`.
 */
export async function consoleUnderTest(
  prefix: string,
  port: string,
): Promise<{ base: string; tmp: string; stop: () => Promise<void> }> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `genmedia-${prefix.toLowerCase()}-`));
  const url = process.env[`${prefix}_URL`]?.replace(/\/$/, "");
  const ownPort = process.env[`${prefix}_PORT`] ?? port;
  const server = url ? null : await startConsoleServer(ownPort, path.join(tmp, "data"));
  return {
    base: url ?? `http://localhost:${ownPort}`,
    tmp,
    stop: async () => {
      if (server) await stopServer(server);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** The p-th percentile of `values` (nearest rank), rounded to the millisecond. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
}

/** One console call (session cookie, same origin, a fresh Idempotency-Key per POST): its JSON and request id. */
export async function consoleCall(
  base: string,
  cookie: string,
  method: string,
  route: string,
  body?: unknown,
) {
  const res = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: {
      cookie,
      origin: base,
      "content-type": "application/json",
      ...(method === "POST" ? { "idempotency-key": crypto.randomUUID() } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return { ...json!, requestId: res.headers.get("x-request-id") ?? "" } as Record<string, unknown> & {
    requestId: string;
  };
}

/** Loads one route with autocannon on loopback (bounded in time), after a short warm-up. */
export async function measure(
  name: string,
  opts: {
    url: string;
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    seconds?: number;
    warmupSeconds?: number;
    /** Headers computed per request (a fresh Idempotency-Key each time). */
    perRequest?: () => Record<string, string>;
  },
): Promise<Measure> {
  const perRequest = opts.perRequest;
  const base = {
    url: opts.url,
    method: opts.method ?? "GET",
    headers: opts.headers,
    body: opts.body,
    connections: opts.connections ?? 16,
    ...(perRequest && {
      requests: [
        {
          setupRequest: (req: { headers?: Record<string, string> }) => ({
            ...req,
            headers: { ...req.headers, ...perRequest() },
          }),
        },
      ],
    }),
  };
  await autocannon({ ...base, duration: opts.warmupSeconds ?? 2 });
  const r = await autocannon({ ...base, duration: opts.seconds ?? 8 });
  return {
    name,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

export function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i]!)).join("  ")).join("\n");
}

/** Writes bench/results/<name>.json: when it ran, then the results. */
export function writeResult(name: string, result: object): void {
  const out = path.join(import.meta.dirname, "results", `${name}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2) + "\n");
}
